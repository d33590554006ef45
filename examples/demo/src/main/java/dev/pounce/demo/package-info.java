/** The demo app that {@code bin/pounce} serves: {@link dev.pounce.demo.DemoApp} and the pieces of its routes. */
package dev.pounce.demo;
