/** The one place the runtime makes threads, so every thread has a name an operator can read in a thread dump. */
package dev.pounce.runtime.internal.threads;
