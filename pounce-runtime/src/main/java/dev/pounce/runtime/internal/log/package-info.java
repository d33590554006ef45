/** The names of the runtime's loggers, one per area, so an operator can turn up one area without the others. */
package dev.pounce.runtime.internal.log;
