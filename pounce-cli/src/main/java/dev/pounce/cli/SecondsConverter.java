package dev.pounce.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Reads a time flag given in seconds as a decimal number ({@code 5}, {@code 0.5}, {@code 2.25}), as Uvicorn and the
 * Python Pounce take them. The range is checked by {@link dev.pounce.api.ServerConfig.Builder#build()}.
 */
final class SecondsConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            BigDecimal seconds = new BigDecimal(value.strip());
            return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("expects seconds as a decimal number such as 0.5, got '" + value + "'");
        }
    }

    /**
     * @param d a duration
     * @return it in seconds as the flag takes it: {@code 5}, {@code 0.5}
     */
    static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }
}
