/**
 * The PROXY protocol preamble: {@link dev.pounce.example.proxy.ProxyHeaderDecoder} decodes v1 and v2 headers,
 * {@link dev.pounce.example.proxy.ProxyProtocolPreamble} decides whose headers to take.
 */
package dev.pounce.example.proxy;
