/**
 * Cross-module tests of the product as built: HTTP/1.1 behaviour over real sockets (JDK HttpClient and raw sockets),
 * bad input and limits, timeouts, workers and graceful shutdown, child JVMs on the module path, ArchUnit rules over
 * the jars and golden module descriptors.
 */
package dev.pounce.tests;
