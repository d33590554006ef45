package dev.pounce.cli;

import dev.pounce.api.App;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

/** An app for {@link MainTest}, named by its binary name as a person would. App loading itself is tested in the runtime. */
public final class TestApps {

    private TestApps() {
    }

    /** A well-formed app class. */
    public static final class Hello implements App {
        @Override
        public void call(Scope scope, Receive receive, Send send) {
        }
    }
}
