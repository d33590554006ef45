package dev.pounce.h1;

import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** An upgrade provider for one token that takes offers as the test says and keeps them for the test to answer. */
final class RecordingProvider implements UpgradeProvider {

    private final String token;
    final List<UpgradeOffer> offers = new ArrayList<>();
    Predicate<UpgradeOffer> take = offer -> true;

    RecordingProvider(String token) {
        this.token = token;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public boolean offer(UpgradeOffer offer) {
        offers.add(offer);
        return take.test(offer);
    }

    UpgradeOffer last() {
        return offers.getLast();
    }
}
