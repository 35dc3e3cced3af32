-- wrk: POST /api/quotes, the call that reaches service-b (GET /api/products is served from service-a's cache).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"items":[{"sku":"TEA-001","quantity":12},{"sku":"TEA-002","quantity":1}]}'
