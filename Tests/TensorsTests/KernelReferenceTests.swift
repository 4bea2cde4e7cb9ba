import CKernels
import Testing

// Independent Swift references for the C kernels: GGML's block formulas written out again,
// element by element, plus a seeded random source so every test is reproducible.

/// SplitMix64: tiny, seeded, good enough to make random blocks and vectors.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func float(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &self) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in Float.random(in: -scale...scale, using: &self) }
    }
}

/// The weight types the kernels support, with GGML's ids and block sizes.
enum KType: Int32, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8
    case q4_K = 12, q5_K = 13, q6_K = 14, bf16 = 30

    var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        }
    }
    var blockElements: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: 32
        case .q4_K, .q5_K, .q6_K: 256
        }
    }
    var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }
    var isKQuant: Bool { blockElements == 256 }
    var isFloat: Bool { blockElements == 1 }
}

/// Instruction sets this CPU can run (always includes "generic").
let availableISAs: [String] = ["generic", "avx2", "avx512"].filter { ck_isa_available($0) != 0 }

/// Runs `body` with the calling thread's kernels forced to `isa`, then restores the default.
func withISA<T>(_ isa: String, _ body: () throws -> T) rethrows -> T {
    precondition(ck_force_isa(isa) == 1, "ISA \(isa) not available")
    defer { _ = ck_force_isa(nil) }
    return try body()
}

func half(_ bytes: [UInt8], _ at: Int) -> Float {
    Float(Float16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
}

func halfBits(_ value: Float) -> [UInt8] {
    let bits = Float16(value).bitPattern
    return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
}

func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
}

func i8(_ byte: UInt8) -> Int { Int(Int8(bitPattern: byte)) }

/// GGML's dequantisation, from the block formulas: same float operations in the same order as
/// GGML (products rounded separately, never fused), so results must match bit for bit.
enum ReferenceDequantizer {
    static func dequantize(_ type: KType, _ b: [UInt8], count: Int) -> [Float] {
        dequantize(type, b, count: count, as: Float.self)
    }

    /// In `T`: Float reproduces GGML bit for bit, Double gives the exact values the blocks stand
    /// for (every product of a few-bit integer and an f16 scale fits a Double).
    static func dequantize<T: BinaryFloatingPoint>(_ type: KType, _ b: [UInt8], count: Int, as: T.Type) -> [T] {
        func h(_ at: Int) -> T { T(half(b, at)) }
        var y = [T]()
        y.reserveCapacity(count)
        let nb = count / type.blockElements
        for i in 0..<nb {
            let o = i * type.blockBytes
            switch type {
            case .f32:
                y.append(T(Float(bitPattern: u32(b, o))))
            case .f16:
                y.append(h(o))
            case .bf16:
                y.append(T(Float(bitPattern: (UInt32(b[o]) | UInt32(b[o + 1]) << 8) << 16)))
            case .q4_0:
                let d = h(o)
                var out = [T](repeating: 0, count: 32)
                for j in 0..<16 {
                    out[j] = T(Int(b[o + 2 + j] & 0xF) - 8) * d
                    out[j + 16] = T(Int(b[o + 2 + j] >> 4) - 8) * d
                }
                y += out
            case .q4_1:
                let d = h(o), m = h(o + 2)
                var out = [T](repeating: 0, count: 32)
                for j in 0..<16 {
                    out[j] = T(b[o + 4 + j] & 0xF) * d + m
                    out[j + 16] = T(b[o + 4 + j] >> 4) * d + m
                }
                y += out
            case .q5_0:
                let d = h(o), qh = u32(b, o + 2)
                var out = [T](repeating: 0, count: 32)
                for j in 0..<16 {
                    let h0 = Int((qh >> UInt32(j)) & 1) << 4, h1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                    out[j] = T((Int(b[o + 6 + j] & 0xF) | h0) - 16) * d
                    out[j + 16] = T((Int(b[o + 6 + j] >> 4) | h1) - 16) * d
                }
                y += out
            case .q5_1:
                let d = h(o), m = h(o + 2), qh = u32(b, o + 4)
                var out = [T](repeating: 0, count: 32)
                for j in 0..<16 {
                    let h0 = Int((qh >> UInt32(j)) & 1) << 4, h1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                    out[j] = T(Int(b[o + 8 + j] & 0xF) | h0) * d + m
                    out[j + 16] = T(Int(b[o + 8 + j] >> 4) | h1) * d + m
                }
                y += out
            case .q8_0:
                let d = h(o)
                for j in 0..<32 { y.append(T(i8(b[o + 2 + j])) * d) }
            case .q4_K, .q5_K:
                let five = type == .q5_K
                let d = h(o), dmin = h(o + 2)
                let scales = Array(b[(o + 4)..<(o + 16)])
                let qh = o + 16, qs = o + (five ? 48 : 16)
                for j in 0..<8 {  // sub-block j: group j/2, low nibbles for even j
                    let (sc, mn) = scaleMinK4(j, scales)
                    let dj = d * T(sc), mj = dmin * T(mn)
                    for l in 0..<32 {
                        let byte = b[qs + 32 * (j / 2) + l]
                        var q = Int(j % 2 == 0 ? byte & 0xF : byte >> 4)
                        if five, (b[qh + l] >> UInt8(j)) & 1 == 1 { q += 16 }
                        y.append(dj * T(q) - mj)
                    }
                }
            case .q6_K:
                let d = h(o + 208)
                for e in 0..<256 {  // element e: half e/128, run (e%128)/32, lane e%32
                    let hf = e / 128, run = (e % 128) / 32, l = e % 32
                    let qlByte = b[o + 64 * hf + l + (run % 2 == 1 ? 32 : 0)]
                    let low = Int(run < 2 ? qlByte & 0xF : qlByte >> 4)
                    let high = Int((b[o + 128 + 32 * hf + l] >> UInt8(2 * run)) & 3)
                    let q = (low | high << 4) - 32
                    let sc = i8(b[o + 192 + e / 16])
                    y.append(d * T(sc) * T(q))
                }
            }
        }
        return y
    }

    /// The f16 min m of every block of a Q4_1/Q5_1 row.
    static func blockMins(_ type: KType, _ b: [UInt8], blocks: Int) -> [Double] {
        (0..<blocks).map { Double(half(b, $0 * type.blockBytes + 2)) }
    }

    /// 6-bit scale and min of sub-block j of a Q4_K/Q5_K block (GGML's get_scale_min_k4).
    static func scaleMinK4(_ j: Int, _ q: [UInt8]) -> (Int, Int) {
        if j < 4 { return (Int(q[j] & 63), Int(q[j + 4] & 63)) }
        return (Int(q[j + 4] & 0xF) | Int(q[j - 4] >> 6) << 4, Int(q[j + 4] >> 4) | Int(q[j] >> 6) << 4)
    }

    /// Random but well-formed blocks: random quant bytes, sane f16 scales (and f32 values for F32,
    /// finite halves for F16/BF16).
    static func randomBlocks(_ type: KType, blocks: Int, rng: inout SeededGenerator) -> [UInt8] {
        var bytes = [UInt8]()
        for _ in 0..<blocks {
            var b = rng.bytes(type.blockBytes)
            func setHalf(_ at: Int, _ v: Float) { let h = halfBits(v); b[at] = h[0]; b[at + 1] = h[1] }
            switch type {
            case .f32:
                let v = rng.float(-4...4).bitPattern
                b = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
            case .f16: setHalf(0, rng.float(-4...4))
            case .bf16:
                let v = rng.float(-4...4).bitPattern >> 16
                b = [UInt8(v & 0xFF), UInt8(v >> 8)]
            case .q4_0, .q5_0, .q8_0: setHalf(0, rng.float(-0.05...0.05))
            case .q4_1, .q5_1, .q4_K, .q5_K:
                setHalf(0, rng.float(0.001...0.05))
                setHalf(2, rng.float(-0.05...0.05))
            case .q6_K: setHalf(208, rng.float(-0.01...0.01))
            }
            bytes += b
        }
        return bytes
    }
}

/// The activation formats of precise = 0, decoded from their bytes.
enum ReferenceActivation {
    /// Per element value d * q of Q8_0/Q8_1/Q8_K activations, f16/bf16 values otherwise.
    static func values(_ type: KType, _ b: [UInt8], count: Int) -> [Double] {
        switch type {
        case .f32: return (0..<count).map { Double(Float(bitPattern: u32(b, 4 * $0))) }
        case .f16: return (0..<count).map { Double(half(b, 2 * $0)) }
        case .bf16: return (0..<count).map { Double(Float(bitPattern: (UInt32(b[2 * $0]) | UInt32(b[2 * $0 + 1]) << 8) << 16)) }
        case .q4_1, .q5_1:
            return (0..<count).map { e in
                let o = (e / 32) * 36
                return Double(half(b, o)) * Double(i8(b[o + 4 + e % 32]))
            }
        case .q4_0, .q5_0, .q8_0:
            return (0..<count).map { e in
                let o = (e / 32) * 34
                return Double(half(b, o)) * Double(i8(b[o + 2 + e % 32]))
            }
        case .q4_K, .q5_K, .q6_K:
            return (0..<count).map { e in
                let o = (e / 256) * 292
                return Double(Float(bitPattern: u32(b, o))) * Double(i8(b[o + 4 + e % 256]))
            }
        }
    }

    /// Q8_1's f16 block sums s (Q4_1/Q5_1 multiply them by the weight block's m).
    static func blockSums(_ b: [UInt8], blocks: Int) -> [Double] {
        (0..<blocks).map { Double(half(b, $0 * 36 + 2)) }
    }
}

@Suite("Kernel reference helpers")
struct KernelReferenceTests {
    @Test("every f16 bit pattern converts like Swift's Float16, both ways")
    func halfConversions() {
        let all = (0...UInt16.max).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for isa in availableISAs {
            var out = [Float](repeating: 0, count: 65536)
            withISA(isa) { ck_dequantize(KType.f16.rawValue, all, &out, 65536) }
            for h in 0...UInt16.max {
                let want = Float(Float16(bitPattern: h))
                let got = out[Int(h)]
                #expect(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN), "f16 \(h) on \(isa)")
            }
        }
        // f32 -> f16 rounds to nearest even, as Float16(Float) does
        var rng = SeededGenerator(seed: 11)
        var xs: [Float] = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e-8, 5.96e-8, 2.98e-8, 2.99e-8, 6.1e-5, .infinity, -.infinity]
        xs += (0..<4000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF) }.filter { $0.isFinite }
        xs += rng.floats(4000, scale: 70000)
        var packed = [UInt8](repeating: 0, count: 2 * xs.count)
        #expect(ck_quantize(KType.f16.rawValue, xs, &packed, Int64(xs.count)) == packed.count)
        for (i, x) in xs.enumerated() {
            let got = UInt16(packed[2 * i]) | UInt16(packed[2 * i + 1]) << 8
            #expect(got == Float16(x).bitPattern, "f16 of \(x)")
        }
    }

    @Test("bf16 rounds to nearest even and widens exactly")
    func bfloatConversions() {
        let xs: [Float] = [1, -2.5, 1.00390625, 1.005859375, 3.0e38, 1e-40, -0.0, .infinity]
        var packed = [UInt8](repeating: 0, count: 2 * xs.count)
        _ = ck_quantize(KType.bf16.rawValue, xs, &packed, Int64(xs.count))
        for (i, x) in xs.enumerated() {
            let got = UInt32(packed[2 * i]) | UInt32(packed[2 * i + 1]) << 8
            let u = x.bitPattern
            let want = (u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16
            #expect(got == want, "bf16 of \(x)")
        }
    }

    @Test("type table matches GGML's block sizes")
    func typeTable() {
        for t in KType.allCases {
            #expect(ck_weight_type_supported(t.rawValue) == 1)
            #expect(ck_block_elems(t.rawValue) == Int64(t.blockElements))
            #expect(ck_block_bytes(t.rawValue) == Int64(t.blockBytes))
            #expect(ck_row_bytes(t.rawValue, Int64(t.blockElements * 3)) == Int64(3 * t.blockBytes))
        }
        for unsupported: Int32 in [9, 10, 11, 15, 16, 20, 24, 28, 39, -1, 1000] {
            #expect(ck_weight_type_supported(unsupported) == 0)
            #expect(ck_block_elems(unsupported) == 0)
        }
        #expect(availableISAs.contains(String(cString: ck_isa())))
        #expect(ck_force_isa("no-such-isa") == 0)
    }
}
