package dev.pounce.cli;

import dev.pounce.api.App;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;

/** Apps and non-apps for {@link MainTest}, named by their binary names as a person would. */
public final class TestApps {

    private TestApps() {
    }

    /** A well-formed app class. */
    public static final class Hello implements App {
        @Override
        public void call(Scope scope, Receive receive, Send send) {
        }
    }

    /** An app given by a static field and a static method. */
    public static final class Holder {
        public static final App FIELD = new Hello();
        public static final App NOTHING = null;
        public static final String NOT_AN_APP = "hello";
        public static final Object OBJECT_APP = new Hello();
        public final App instanceField = new Hello();

        public static App factory() {
            return new Hello();
        }

        public static App failingFactory() {
            throw new IllegalStateException("no database");
        }

        public static String text() {
            return "not an app";
        }

        public App instanceFactory() {
            return new Hello();
        }
    }

    /** Not an app at all. */
    public static final class NotAnApp {
    }

    /** An app without a no-argument constructor. */
    public static final class NeedsArgument implements App {
        public NeedsArgument(String name) {
        }

        @Override
        public void call(Scope scope, Receive receive, Send send) {
        }
    }

    /** An app that cannot be instantiated. */
    public abstract static class Abstract implements App {
    }

    /** An app whose constructor fails. */
    public static final class FailingConstructor implements App {
        public FailingConstructor() {
            throw new IllegalStateException("config file missing");
        }

        @Override
        public void call(Scope scope, Receive receive, Send send) {
        }
    }

    /** Another provider class, for the several-providers case. */
    public static final class Other implements App {
        @Override
        public void call(Scope scope, Receive receive, Send send) {
        }
    }
}
