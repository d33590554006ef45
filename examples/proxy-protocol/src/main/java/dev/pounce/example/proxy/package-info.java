/**
 * The PROXY protocol preamble: {@link dev.pounce.example.proxy.ProxyHeaderDecoder} decodes v1 and v2 headers,
 * {@link dev.pounce.example.proxy.ProxyProtocolPreamble} decides whose headers to take, and
 * {@link dev.pounce.example.proxy.ProxyProtocolSection} is the plugin's settings, which Pounce offers as flags
 * ({@code --proxy-protocol-trusted}, {@code --proxy-protocol-required}, {@code --proxy-protocol-timeout}), checks
 * and shows in {@code pounce info} as it does its own.
 */
package dev.pounce.example.proxy;
