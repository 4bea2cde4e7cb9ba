import CKernels
import Testing

@Suite("Quantise then dequantise")
struct QuantRoundTripTests {
    /// Largest error allowed per element, as a fraction of the block's largest magnitude
    /// (or range, for the types with a min): half a quantisation step plus f16 scale rounding.
    static func bound(_ type: KType) -> Double {
        switch type {
        case .f32: 0
        case .f16: 1.0 / 2048
        case .bf16: 1.0 / 256
        case .q8_0: 0.5 / 127 + 1.0 / 1024
        case .q4_0: 1.0 / 8 + 1.0 / 1024   // 8 steps on one side, 7 on the other: clipped by one step
        case .q5_0: 1.0 / 16 + 1.0 / 1024
        case .q4_1: 0.5 / 15 + 1.0 / 512
        case .q5_1: 0.5 / 31 + 1.0 / 512
        case .q4_K: 1.0 / 15 + 1.0 / 64     // 6-bit scales and mins on top of 4-bit quants
        case .q5_K: 1.0 / 31 + 1.0 / 64
        case .q6_K: 1.0 / 32 + 1.0 / 64
        }
    }

    @Test("errors stay within the format's resolution", arguments: KType.allCases)
    func errorBounds(type: KType) {
        var rng = SeededGenerator(seed: 0xA0 + UInt64(type.rawValue))
        let count = 1024
        // mixed magnitudes, offsets and signs per block
        var x = [Float]()
        for b in 0..<(count / 32) {
            let scale = [0.01, 1, 37][b % 3] as Float
            let offset: Float = b % 4 == 1 ? scale * 0.5 : 0
            x += rng.floats(32, scale: scale).map { $0 + offset }
        }
        var q = [UInt8](repeating: 0, count: count / type.blockElements * type.blockBytes)
        let written = ck_quantize(type.rawValue, x, &q, Int64(count))
        #expect(written == q.count)
        var y = [Float](repeating: 0, count: count)
        ck_dequantize(type.rawValue, q, &y, Int64(count))
        let group = type.isKQuant ? 256 : 32
        for g in 0..<(count / group) {
            let xs = x[(g * group)..<((g + 1) * group)].map(Double.init)
            let amax = xs.map(abs).max()!
            let range = xs.max()! - min(xs.min()!, 0)
            let scale = [.q4_1, .q5_1].contains(type) ? xs.max()! - xs.min()! : (type.isKQuant ? max(range, amax) : amax)
            for i in (g * group)..<((g + 1) * group) {
                let err = abs(Double(y[i]) - Double(x[i]))
                #expect(err <= Self.bound(type) * scale + 1e-30, "\(type) element \(i): \(x[i]) -> \(y[i])")
            }
        }
    }

    @Test("zeros stay zero and a lone value survives", arguments: KType.allCases)
    func edgeValues(type: KType) {
        let count = type.isKQuant ? 256 : 64
        var x = [Float](repeating: 0, count: count)
        var q = [UInt8](repeating: 0xFF, count: count / type.blockElements * type.blockBytes)
        _ = ck_quantize(type.rawValue, x, &q, Int64(count))
        var y = [Float](repeating: 1, count: count)
        ck_dequantize(type.rawValue, q, &y, Int64(count))
        #expect(y.allSatisfy { $0 == 0 }, "\(type): zeros did not survive")
        x[5] = 3.25
        _ = ck_quantize(type.rawValue, x, &q, Int64(count))
        ck_dequantize(type.rawValue, q, &y, Int64(count))
        #expect(abs(y[5] - 3.25) <= Float(Self.bound(type)) * 3.25 * 1.01, "\(type): lone value became \(y[5])")
    }

    @Test("quantising is deterministic and rejects partial blocks", arguments: KType.allCases)
    func determinism(type: KType) {
        var rng = SeededGenerator(seed: 0xB0 + UInt64(type.rawValue))
        let count = 512
        let x = rng.floats(count, scale: 2)
        var a = [UInt8](repeating: 0, count: count / type.blockElements * type.blockBytes)
        var b = a
        _ = ck_quantize(type.rawValue, x, &a, Int64(count))
        _ = ck_quantize(type.rawValue, x, &b, Int64(count))
        #expect(a == b)
        if type.blockElements > 1 {
            #expect(ck_quantize(type.rawValue, x, &b, Int64(type.blockElements + 1)) == 0)
        }
        #expect(ck_quantize(9, x, &b, 32) == 0, "Q8_1 is not a weight type")
    }

    /// A hand-worked Q4_1 block and Q8_0 block, so the byte layout itself is pinned down.
    @Test("known blocks have GGML's byte layout")
    func knownBlocks() {
        // Q4_1 of 0, 1, ..., 31 (scaled by 1/2): min 0, d = 15.5/15, q = round(x / d)
        let x = (0..<32).map { Float($0) / 2 }
        var q = [UInt8](repeating: 0, count: 20)
        _ = ck_quantize(KType.q4_1.rawValue, x, &q, 32)
        #expect(half(q, 0) == Float(Float16(Float(15.5) / 15)))
        #expect(half(q, 2) == 0)
        let id = 1 / (Float(15.5) / 15)
        for j in 0..<16 {
            let lo = Int((x[j] * id + 0.5).rounded(.down)), hi = Int((x[j + 16] * id + 0.5).rounded(.down))
            #expect(q[4 + j] == UInt8(min(lo, 15) | min(hi, 15) << 4), "Q4_1 byte \(j)")
        }
        // Q8_0 of -127 ... : amax 127 -> d = 1, quants are the values themselves
        let v = (0..<32).map { Float($0 * 8 - 127) }
        var q8 = [UInt8](repeating: 0, count: 34)
        _ = ck_quantize(KType.q8_0.rawValue, v, &q8, 32)
        #expect(half(q8, 0) == 1)
        #expect((0..<32).allSatisfy { i8(q8[2 + $0]) == $0 * 8 - 127 })
    }
}
