package dev.pounce.h3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The classic BPF program that steers each QUIC datagram to the socket, among the port's {@code SO_REUSEPORT} group,
 * whose process owns its connection (process workers, see {@link QuicPort}). The kernel runs it on the UDP payload
 * and takes its result as a position in the group; the server's connection ids begin with that position as an
 * unsigned 16-bit number (Netty's {@code QuicCodecDispatcher} layout), so the program reads the destination
 * connection id's first two bytes:
 * <ul>
 *   <li>a short-header packet (first byte's bit 0x80 clear; RFC 9000 section 17.3): at offset 1, right after the
 *       first byte, since the id has the server's own length;</li>
 *   <li>a long-header packet (section 17.2): the id's length is at offset 5 and the id at offset 6; when it has two
 *       bytes or more, those. A client's first Initial carries an id the client chose at random, so its first two
 *       bytes modulo the number of sockets pick a socket at random but the same one for every packet of the
 *       handshake (0-RTT included); from then on the client uses the id that socket's process issued, which names
 *       the same socket;</li>
 *   <li>anything shorter than 8 bytes, or a long header with a shorter id: a result past the group, which makes the
 *       kernel fall back to its hash of the client's address.</li>
 * </ul>
 * The number read is taken modulo the number of sockets, so no packet selects a socket that does not exist.
 */
final class QuicSteering {

    // Classic BPF opcodes (linux/filter.h, linux/bpf_common.h).
    private static final int LD_LEN = 0x80;      // BPF_LD | BPF_W | BPF_LEN: A = payload length
    private static final int LDB_ABS = 0x30;     // BPF_LD | BPF_B | BPF_ABS: A = byte at k
    private static final int LDH_ABS = 0x28;     // BPF_LD | BPF_H | BPF_ABS: A = big-endian 16 bits at k
    private static final int JGE_K = 0x35;       // BPF_JMP | BPF_JGE | BPF_K
    private static final int JSET_K = 0x45;      // BPF_JMP | BPF_JSET | BPF_K
    private static final int MOD_K = 0x94;       // BPF_ALU | BPF_MOD | BPF_K
    private static final int RET_A = 0x16;       // BPF_RET | BPF_A
    private static final int RET_K = 0x06;       // BPF_RET | BPF_K

    /** A result no group reaches: the kernel then picks by the client's address. */
    private static final int NO_SOCKET = 0xFFFFFFFF;

    private QuicSteering() {
    }

    /**
     * @param sockets how many sockets the group has, at least 1
     * @return the program, {@code struct sock_filter} instructions in the machine's byte order
     */
    static byte[] program(int sockets) {
        if (sockets < 1) {
            throw new IllegalArgumentException("a group has at least one socket, got " + sockets);
        }
        int[][] program = {
                /* 0 */ {LD_LEN, 0, 0, 0},
                /* 1 */ {JGE_K, 0, 10, 8},          // shorter than 8 bytes: to 12
                /* 2 */ {LDB_ABS, 0, 0, 0},
                /* 3 */ {JSET_K, 3, 0, 0x80},       // long header: to 7
                /* 4 */ {LDH_ABS, 0, 0, 1},         // short header: the id's first two bytes
                /* 5 */ {MOD_K, 0, 0, sockets},
                /* 6 */ {RET_A, 0, 0, 0},
                /* 7 */ {LDB_ABS, 0, 0, 5},         // long header: the destination id's length
                /* 8 */ {JGE_K, 0, 3, 2},           // shorter than 2 bytes: to 12
                /* 9 */ {LDH_ABS, 0, 0, 6},
                /* 10 */ {MOD_K, 0, 0, sockets},
                /* 11 */ {RET_A, 0, 0, 0},
                /* 12 */ {RET_K, 0, 0, NO_SOCKET},
        };
        ByteBuffer out = ByteBuffer.allocate(program.length * 8).order(ByteOrder.nativeOrder());
        for (int[] insn : program) {
            out.putShort((short) insn[0]).put((byte) insn[1]).put((byte) insn[2]).putInt(insn[3]);
        }
        return out.array();
    }
}
