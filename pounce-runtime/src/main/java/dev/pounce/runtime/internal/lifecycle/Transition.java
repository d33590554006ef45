package dev.pounce.runtime.internal.lifecycle;

import java.util.List;

/**
 * The result of one {@link Lifecycle#update}.
 *
 * @param state   the next state
 * @param effects what to do, in order
 */
public record Transition(ServerState state, List<Effect> effects) {

    static Transition stay(ServerState state) {
        return new Transition(state, List.of());
    }
}
