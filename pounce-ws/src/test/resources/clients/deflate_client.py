"""permessage-deflate (RFC 7692) against a Pounce server with two independent client implementations.

Usage: python3 deflate_client.py CLIENT URL SPEC
  CLIENT  websockets (python3-websockets) or autobahn (python3-autobahn)
  SPEC    JSON: {"offer": {...}, "count": N, "size": BYTES, "kind": "pattern"|"zeros", "binary": bool}
          offer keys: server_max_window_bits (int), client_max_window_bits (int or true),
          server_no_context_takeover, client_no_context_takeover (bools)

Sends COUNT messages of SIZE bytes and checks each echo. "pattern" repeats one random 4 KiB block, so a message
compresses only by reaching back 4 KiB (which a window under 12 bits forbids), and every message repeats the one
before (which only context takeover can use). Prints one JSON line: the Sec-WebSocket-Extensions answer, what the
client applied, the bytes it read off the wire, and the close code if the server closed.
"""
import asyncio
import json
import random
import sys


def payload(kind, size, binary):
    if kind == "zeros":
        data = bytes(size)
    else:
        rnd = random.Random(7692)
        block = bytes(rnd.getrandbits(8) for _ in range(4096))
        data = (block * (size // 4096 + 1))[:size]
    return data if binary else data.hex()[:size]


async def with_websockets(url, spec):
    import websockets
    from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
    offer = dict(spec.get("offer", {}))
    factory = ClientPerMessageDeflateFactory(**offer)
    result = {"client": "websockets " + websockets.__version__}
    ws = await websockets.connect(url, extensions=[factory], compression=None, max_size=None,
                                  ping_interval=None, close_timeout=10)
    wire = [0]
    original = ws.data_received

    def counting(data):
        wire[0] += len(data)
        original(data)
    ws.data_received = counting
    result["extensions"] = ws.response_headers.get("Sec-WebSocket-Extensions")
    ext = [e for e in ws.extensions]
    if ext:
        e = ext[0]
        result["applied"] = {"remote_no_context_takeover": e.remote_no_context_takeover,
                             "local_no_context_takeover": e.local_no_context_takeover,
                             "remote_max_window_bits": e.remote_max_window_bits,
                             "local_max_window_bits": e.local_max_window_bits}
    data = payload(spec.get("kind", "pattern"), spec["size"], spec.get("binary", True))
    echoed = 0
    try:
        for _ in range(spec.get("count", 1)):
            await ws.send(data)
            echo = await ws.recv()
            if echo != data:
                result["error"] = "echo differs"
                break
            echoed += 1
        await ws.close()
    except websockets.exceptions.ConnectionClosed as closed:
        result["close_code"] = closed.rcvd.code if closed.rcvd else 1006
    result["echoed"] = echoed
    result["wire_bytes"] = wire[0]
    return result


async def with_autobahn(url, spec):
    import autobahn
    from autobahn.asyncio.websocket import WebSocketClientProtocol, WebSocketClientFactory
    from autobahn.websocket.compress import (PerMessageDeflateOffer, PerMessageDeflateResponse,
                                             PerMessageDeflateResponseAccept)
    offer = spec.get("offer", {})
    done = asyncio.get_running_loop().create_future()
    data = payload(spec.get("kind", "pattern"), spec["size"], True)
    result = {"client": "autobahn " + autobahn.__version__, "echoed": 0}

    class Client(WebSocketClientProtocol):
        def onConnect(self, response):
            result["extensions"] = response.headers.get("sec-websocket-extensions")

        def onOpen(self):
            used = self.websocket_extensions_in_use
            if used:
                e = used[0]
                result["applied"] = {"server_no_context_takeover": e.server_no_context_takeover,
                                     "client_no_context_takeover": e.client_no_context_takeover,
                                     "server_max_window_bits": e.server_max_window_bits,
                                     "client_max_window_bits": e.client_max_window_bits}
            self.sendMessage(data, isBinary=True)

        def onMessage(self, message, isBinary):
            if message != data:
                result["error"] = "echo differs"
                self.sendClose(1000)
                return
            result["echoed"] += 1
            if result["echoed"] < spec.get("count", 1):
                self.sendMessage(data, isBinary=True)
            else:
                self.sendClose(1000)

        def onClose(self, wasClean, code, reason):
            result["close_code"] = code
            result["wire_bytes"] = self.trafficStats.incomingOctetsWireLevel
            if not done.done():
                done.set_result(result)

    factory = WebSocketClientFactory(url)
    factory.protocol = Client
    bits = offer.get("server_max_window_bits", 0)
    factory.setProtocolOptions(
        perMessageCompressionOffers=[PerMessageDeflateOffer(
            accept_no_context_takeover=offer.get("client_no_context_takeover", True),
            accept_max_window_bits=True,
            request_no_context_takeover=offer.get("server_no_context_takeover", False),
            request_max_window_bits=bits)],
        perMessageCompressionAccept=lambda r: PerMessageDeflateResponseAccept(r)
        if isinstance(r, PerMessageDeflateResponse) else None,
        maxMessagePayloadSize=0, maxFramePayloadSize=0)
    factory.setProtocolOptions(openHandshakeTimeout=10, closeHandshakeTimeout=10)
    host, port = url.split("//")[1].split("/")[0].split(":")
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(factory, host, int(port))
    return await asyncio.wait_for(done, 60)


def main():
    client, url, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    run = with_websockets if client == "websockets" else with_autobahn
    result = asyncio.run(run(url, spec))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
