import CKernels
import Testing

@Suite("Activation formats (precise = 0)")
struct QuantActivationTests {
    @Test("sizes follow llama.cpp's vec_dot types")
    func sizes() {
        let n: Int64 = 512
        let expected: [KType: Int64] = [
            .f32: 2048, .f16: 1024, .bf16: 1024, .q4_0: 16 * 34, .q5_0: 16 * 34, .q8_0: 16 * 34,
            .q4_1: 16 * 36, .q5_1: 16 * 36, .q4_K: 2 * 292, .q5_K: 2 * 292, .q6_K: 2 * 292,
        ]
        for t in KType.allCases {
            #expect(ck_act_bytes(t.rawValue, n, 0) == expected[t], "\(t)")
            #expect(ck_act_bytes(t.rawValue, n, 1) == 4 * n, "\(t) precise")
        }
        #expect(ck_act_bytes(10, n, 0) == 0, "Q2_K is not supported")
    }

    @Test("Q8_0 and Q8_1 blocks: d = amax / 127, q = x * 127 / amax rounded half to even, s = f16(d * sum)")
    func q8Blocks() {
        var rng = SeededGenerator(seed: 600)
        var x = rng.floats(96, scale: 3)
        for i in 32..<64 { x[i] = 0 }
        x[70] = 127.0 / 2 * (x[64...].map(abs).max()! / 127)  // not necessarily a tie; exercises rounding
        for type in [KType.q8_0, .q4_1] {
            for isa in availableISAs {
                let bytes = withISA(isa) { KernelRunner.prepare(type, [x], precise: false).bytes }
                let size = type == .q8_0 ? 34 : 36, qo = type == .q8_0 ? 2 : 4
                for b in 0..<3 {
                    let block = Array(x[(32 * b)..<(32 * b + 32)])
                    let amax = block.map(abs).max()!
                    let d = amax / 127
                    #expect(half(bytes, b * size) == Float(Float16(d)), "\(type) block \(b) d on \(isa)")
                    let id: Float = amax != 0 ? 127 / amax : 0
                    var sum = 0
                    for j in 0..<32 {
                        let q = Int((block[j] * id).rounded(.toNearestOrEven))
                        sum += q
                        #expect(i8(bytes[b * size + qo + j]) == q, "\(type) block \(b) q[\(j)] on \(isa)")
                    }
                    if type == .q4_1 {
                        #expect(half(bytes, b * size + 2) == Float(Float16(d * Float(sum))), "s of block \(b) on \(isa)")
                    }
                }
            }
        }
    }

    @Test("Q8_K blocks: d = max / -127 with the signed extreme, bsums over 16")
    func q8KBlocks() {
        var rng = SeededGenerator(seed: 601)
        var x = rng.floats(512, scale: 2)
        x[300] = -9  // the extreme of block 1 is negative
        for isa in availableISAs {
            let bytes = withISA(isa) { KernelRunner.prepare(.q4_K, [x], precise: false).bytes }
            for b in 0..<2 {
                let block = Array(x[(256 * b)..<(256 * b + 256)])
                let extreme = block.max { abs($0) < abs($1) }!
                let iscale = -127 / extreme
                let d = Float(bitPattern: u32(bytes, 292 * b))
                #expect(d == 1 / iscale, "block \(b) d on \(isa)")
                for j in 0..<256 {
                    let q = min(127, Int((iscale * block[j]).rounded(.toNearestOrEven)))
                    #expect(i8(bytes[292 * b + 4 + j]) == q, "block \(b) q[\(j)] on \(isa)")
                }
                for g in 0..<16 {
                    let want = (0..<16).reduce(0) { $0 + i8(bytes[292 * b + 4 + 16 * g + $1]) }
                    let got = Int(Int16(bitPattern: UInt16(bytes[292 * b + 260 + 2 * g]) | UInt16(bytes[292 * b + 261 + 2 * g]) << 8))
                    #expect(got == want, "block \(b) bsum \(g) on \(isa)")
                }
            }
        }
    }

    @Test("F16 and BF16 activations are the rounded values; precise = 1 copies f32")
    func floatActivations() {
        var rng = SeededGenerator(seed: 602)
        let x = rng.floats(37, scale: 1000)
        for isa in availableISAs {
            let f16 = withISA(isa) { KernelRunner.prepare(.f16, [x], precise: false).bytes }
            let bf16 = withISA(isa) { KernelRunner.prepare(.bf16, [x], precise: false).bytes }
            let f32 = withISA(isa) { KernelRunner.prepare(.q4_1, [x], precise: true).bytes }
            for i in 0..<37 {
                #expect(half(f16, 2 * i) == Float(Float16(x[i])), "f16 \(i) on \(isa)")
                let u = x[i].bitPattern
                let want = UInt16((u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
                #expect(UInt16(bf16[2 * i]) | UInt16(bf16[2 * i + 1]) << 8 == want, "bf16 \(i) on \(isa)")
                #expect(Float(bitPattern: u32(f32, 4 * i)) == x[i])
            }
        }
    }
}
