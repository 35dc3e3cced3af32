package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver), as a person would use it; on the
 * shared topology in the layout of a machine where only 127.0.0.1 answers (macOS), which it proves too.
 */
@ExtendWith(LocalTopology.SharedLoopback.class)
@Order(LocalTopology.SHARED + 1)
class PageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = headlessChromium();
    }

    /** Debian's Chromium, headless; skips the calling test class loudly where it is not installed. */
    static ChromeDriver headlessChromium() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("\n*** SKIPPING the browser tests: install chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); .ci/run does. ***\n");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        // A fixed driver path: Selenium then never tries to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void listsProductsPricesABasketAndDrawsThePath() throws Exception {
        priceABasketAndDrawThePath(browser, LocalTopology.PAGE);
        saveScreenshot(browser, "page-after-quote.png");
    }

    /** What a person does on the page: twelve teas and a brewer, priced; the quote's total and path drawn. */
    static void priceABasketAndDrawThePath(ChromeDriver browser, String page) {
        WebDriverWait wait = openThePage(browser, page);
        assertEquals(List.of(), partsMovedWhileLoading(browser, "products", "basket"), "the page moved under the pointer while it loaded");

        browser.findElement(By.cssSelector("button[data-sku='TEA-001']")).click();
        browser.findElement(By.cssSelector("button[data-sku='BRW-003']")).click();
        WebElement quantity = browser.findElement(By.cssSelector("#basket li[data-sku='TEA-001'] input"));
        quantity.clear();
        quantity.sendKeys("12");
        browser.findElement(By.id("basket-title")).click(); // commit the edit (change event)
        browser.findElement(By.id("quote")).click();

        WebElement total = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("quote-total")));
        assertEquals("$210.30", total.getText());
        List<String> hops = browser.findElements(By.cssSelector("#path li.hop")).stream()
                .map(hop -> hop.getAttribute("data-container")).toList();
        assertEquals(List.of("alb", "frontend-sidecar", "service-a", "service-b"), hops);
    }

    /** Opens the page and waits until it has drawn what it draws by itself: the products and its first request's path. */
    static WebDriverWait openThePage(ChromeDriver browser, String page) {
        browser.get(page);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#products li.product"), 11));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#path li.hop[data-container='service-b']")));
        return wait;
    }

    /**
     * What moved on the page while it loaded, by itself, among the parts a person clicks (by their ids): Chromium's own
     * record of layout shifts (the Layout Instability API), each shifted part with where it was and where it went. A
     * list that moves as a click is on its way sends the click elsewhere.
     */
    @SuppressWarnings("unchecked")
    static List<String> partsMovedWhileLoading(ChromeDriver browser, String... clickableIds) {
        return (List<String>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const clickable = arguments[0].map((id) => document.getElementById(id));
                const moved = [];
                const record = (entries) => entries.filter((shift) => !shift.hadRecentInput).forEach((shift) =>
                    shift.sources.filter((source) => source.node && source.previousRect.y !== source.currentRect.y
                            && clickable.some((part) => source.node.contains(part) || part.contains(source.node)))
                        .forEach((source) => moved.push(`${source.node.nodeName} at ${shift.startTime.toFixed(0)} ms: `
                            + `y ${source.previousRect.y} -> ${source.currentRect.y}`)));
                const observer = new PerformanceObserver((list) => record(list.getEntries()));
                observer.observe({ type: 'layout-shift', buffered: true });
                setTimeout(() => { record(observer.takeRecords()); observer.disconnect(); done(moved); }, 250);
                """, List.of(clickableIds));
    }

    /** A phone's width, where the page is one column: the path's cards stack, and the path comes after the basket. */
    @Test
    void onANarrowScreenNothingMovesUnderAFingerEither() throws Exception {
        Dimension wide = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(400, 900));
        try {
            openThePage(browser, LocalTopology.PAGE);
            // The basket, below the products in one column, moves down as they arrive: empty, with nothing to press.
            assertEquals(List.of(), partsMovedWhileLoading(browser, "products"), "the page moved under a finger while it loaded");
            saveScreenshot(browser, "page-narrow.png");
        } finally {
            browser.manage().window().setSize(wide);
        }
    }

    /**
     * Where only 127.0.0.1 answers, the web task's containers share it, each on a port of its own; the status says so,
     * and the path the page draws shows those ports.
     */
    @Test
    void theWebTaskSharesTheLoopbackEachContainerOnAPortOfItsOwn() throws Exception {
        JsonPath status = JsonPath.from(LocalTopology.runLocal("status", "--json"));
        assertEquals("shared", status.getString("loopback"));
        assertEquals("127.0.0.1:8101", status.getString("processes.find { it.name == 'frontend-sidecar-1' }.address"));
        assertEquals("127.0.0.1:8181", status.getString("processes.find { it.name == 'service-a-1' }.address"));
        assertTrue(LocalTopology.runLocal("status").contains("The web tasks share 127.0.0.1, each on ports of its own"));
        JsonPath path = TracedPath.of(given().get(LocalTopology.PAGE + "/api/products/TEA-001"));
        assertEquals(List.of(8101, 8181), List.of(path.getInt("[0].port"), path.getInt("[1].port")), path.prettify());
    }

    @Test
    void reloadsShowTheLoadSpreadOverServiceBInstances() throws Exception {
        Set<String> instances = new HashSet<>();
        for (int reload = 0; reload < 10 && instances.size() < 2; reload++) {
            browser.get(LocalTopology.PAGE);
            WebElement serviceB = new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#path li[data-container='service-b']")));
            instances.add(serviceB.findElement(By.cssSelector("dd")).getText());
        }
        assertTrue(instances.size() >= 2, "the drawn path showed service-b instances " + instances);
        saveScreenshot(browser, "page-path.png");
    }

    static void saveScreenshot(ChromeDriver browser, String name) throws Exception {
        Path directory = Path.of(System.getProperty("artifacts.dir", "target/artifacts"));
        Files.createDirectories(directory);
        Files.write(directory.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
