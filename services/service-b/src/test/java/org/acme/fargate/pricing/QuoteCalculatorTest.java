package org.acme.fargate.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuoteCalculatorTest {

    @ParameterizedTest(name = "{0} units -> {1}% off")
    @CsvSource({"1,0", "9,0", "10,5", "49,5", "50,10", "999,10"})
    void volumeDiscountStepsAtTenAndFiftyUnits(int quantity, int percent) {
        assertEquals(percent, QuoteCalculator.discountPercent(quantity));
    }
}
