import CKernels
import Testing

/// Runs the C kernels on Swift arrays.
enum KernelRunner {
    /// Prepared activations for `vectors`, each at a 64-byte-rounded stride.
    static func prepare(_ type: KType, _ vectors: [[Float]], precise: Bool) -> (bytes: [UInt8], stride: Int) {
        let cols = vectors[0].count
        let size = Int(ck_act_bytes(type.rawValue, Int64(cols), precise ? 1 : 0))
        let stride = (size + 63) / 64 * 64
        var bytes = [UInt8](repeating: 0, count: stride * vectors.count)
        bytes.withUnsafeMutableBytes { raw in
            for (v, x) in vectors.enumerated() {
                ck_act_prepare(type.rawValue, x, raw.baseAddress! + v * stride, Int64(cols), precise ? 1 : 0)
            }
        }
        return (bytes, stride)
    }

    /// y[v * ldy + r] for r in r0..<r1; other entries keep `fill`.
    static func matmul(_ type: KType, weights: [UInt8], rows: Int, cols: Int, act: [UInt8], stride: Int,
                       vectors: Int, ldy: Int, r0: Int, r1: Int, precise: Bool, fill: Float = .nan) -> [Float] {
        var y = [Float](repeating: fill, count: ldy * vectors)
        ck_matmul_rows(type.rawValue, weights, Int64(cols), act, Int64(stride), Int32(vectors), &y,
                       Int64(ldy), Int64(r0), Int64(r1), precise ? 1 : 0)
        return y
    }
}

/// One matrix-times-vectors problem with random weights and activations.
struct MatmulProblem {
    let type: KType
    let rows: Int
    let cols: Int
    let weights: [UInt8]
    let exact: [Double]      // exact weight values, row-major
    let rounded: [Float]     // ck_dequantize's values
    let x: [[Float]]

    init(_ type: KType, rows: Int, cols: Int, vectors: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        self.type = type
        self.rows = rows
        self.cols = cols
        // quantise real data (realistic scales) and mix in random blocks (all bit patterns)
        let blocks = rows * cols / type.blockElements
        var w = [UInt8](repeating: 0, count: blocks * type.blockBytes)
        let data = rng.floats(rows * cols, scale: 0.5)
        _ = ck_quantize(type.rawValue, data, &w, Int64(rows * cols))
        let random = ReferenceDequantizer.randomBlocks(type, blocks: blocks, rng: &rng)
        for b in stride(from: 1, to: blocks, by: 3) {
            w.replaceSubrange((b * type.blockBytes)..<((b + 1) * type.blockBytes),
                              with: random[(b * type.blockBytes)..<((b + 1) * type.blockBytes)])
        }
        weights = w
        exact = ReferenceDequantizer.dequantize(type, w, count: rows * cols, as: Double.self)
        rounded = ReferenceDequantizer.dequantize(type, w, count: rows * cols)
        x = (0..<vectors).map { v in rng.floats(cols, scale: v == 2 ? 40 : 1.5) }
    }

    /// precise = 1: double dot of the dequantised weights with the f32 activations, and the sum
    /// of |terms| that scales the rounding error.
    func preciseReference(row r: Int, vector v: Int) -> (value: Double, magnitude: Double) {
        var s = 0.0, m = 0.0
        for c in 0..<cols {
            let t = Double(rounded[r * cols + c]) * Double(x[v][c])
            s += t
            m += abs(t)
        }
        return (s, m)
    }

    /// precise = 0: llama.cpp's formula in exact arithmetic: exact weights times the prepared
    /// activations' values, with Q8_1's f16 block sums standing in for sum(a) under the mins.
    func fastReference(row r: Int, prepared: [UInt8]) -> (value: Double, magnitude: Double) {
        let a = ReferenceActivation.values(type, prepared, count: cols)
        var s = 0.0, m = 0.0
        for c in 0..<cols {
            let t = exact[r * cols + c] * a[c]
            s += t
            m += abs(t)
        }
        if type == .q4_1 || type == .q5_1 {
            let nb = cols / 32
            let rowBytes = nb * type.blockBytes
            let mins = ReferenceDequantizer.blockMins(type, Array(weights[(r * rowBytes)..<((r + 1) * rowBytes)]), blocks: nb)
            let sums = ReferenceActivation.blockSums(prepared, blocks: nb)
            for b in 0..<nb {
                let exactSum = a[(32 * b)..<(32 * b + 32)].reduce(0, +)
                s += mins[b] * (sums[b] - exactSum)
                m += abs(mins[b] * sums[b])
            }
        }
        return (s, m)
    }

    /// Largest error the activation format itself may add against f32 activations.
    func activationErrorBound(row r: Int, vector v: Int) -> Double {
        let xs = x[v]
        var bound = 0.0
        for c in 0..<cols {
            let w = abs(Double(rounded[r * cols + c]))
            let e: Double
            switch type {
            case .f32: e = 0
            case .f16: e = Double(abs(xs[c])) / 1024
            case .bf16: e = Double(abs(xs[c])) / 128
            default:
                let g = type.isKQuant ? 256 : 32
                let start = c / g * g
                let amax = Double(xs[start..<(start + g)].map(abs).max()!)
                e = amax / 254 + amax / 1024
            }
            bound += w * e
        }
        if type == .q4_1 || type == .q5_1 {  // m * s with s rounded to f16
            let nb = cols / 32
            for b in 0..<nb {
                let m = abs(Double(half(weights, (r * nb + b) * type.blockBytes + 2)))
                let sum = Double(x[v][(32 * b)..<(32 * b + 32)].map(abs).reduce(0, +))
                bound += m * sum / 1024
            }
        }
        return bound
    }
}

@Suite("Matrix times vectors against double-precision references")
struct KernelMatmulTests {
    /// (rows, blocks per row) shapes: single block rows, odd counts, several blocks.
    static func shapes(_ type: KType) -> [(rows: Int, cols: Int)] {
        if type.isFloat { return [(1, 1), (5, 13), (33, 100), (4, 256)] }
        let be = type.blockElements
        return type.isKQuant ? [(3, be), (6, 2 * be), (9, 3 * be)] : [(1, be), (5, 2 * be), (33, 3 * be), (8, 18 * be)]
    }

    @Test("precise = 1 matches the dequantised double dot", arguments: KType.allCases)
    func precise(type: KType) {
        for (i, shape) in Self.shapes(type).enumerated() {
            let p = MatmulProblem(type, rows: shape.rows, cols: shape.cols, vectors: 5, seed: 100 + UInt64(i) + UInt64(type.rawValue) << 8)
            let (act, stride) = KernelRunner.prepare(type, p.x, precise: true)
            for nv in 1...5 {
                let ldy = p.rows + 3
                let y = KernelRunner.matmul(type, weights: p.weights, rows: p.rows, cols: p.cols, act: act, stride: stride,
                                            vectors: nv, ldy: ldy, r0: 0, r1: p.rows, precise: true)
                for v in 0..<nv {
                    for r in 0..<p.rows {
                        let (want, mag) = p.preciseReference(row: r, vector: v)
                        let got = Double(y[v * ldy + r])
                        #expect(abs(got - want) <= 3e-6 * mag + 1e-30, "\(type) \(shape) nv \(nv) row \(r) vec \(v): \(got) vs \(want)")
                    }
                    let outside = y[(v * ldy + p.rows)..<(v * ldy + ldy)].allSatisfy { $0.isNaN }
                    #expect(outside, "wrote outside the rows")
                }
            }
        }
    }

    @Test("precise = 0 matches llama.cpp's formula in exact arithmetic, and the f32 result loosely",
          arguments: KType.allCases)
    func fast(type: KType) {
        for (i, shape) in Self.shapes(type).enumerated() {
            let p = MatmulProblem(type, rows: shape.rows, cols: shape.cols, vectors: 5, seed: 200 + UInt64(i) + UInt64(type.rawValue) << 8)
            let (act, stride) = KernelRunner.prepare(type, p.x, precise: false)
            for nv in 1...5 {
                let y = KernelRunner.matmul(type, weights: p.weights, rows: p.rows, cols: p.cols, act: act, stride: stride,
                                            vectors: nv, ldy: p.rows, r0: 0, r1: p.rows, precise: false)
                for v in 0..<nv {
                    let prepared = Array(act[(v * stride)..<(v * stride + stride)])
                    for r in 0..<p.rows {
                        let (want, mag) = p.fastReference(row: r, prepared: prepared)
                        let got = Double(y[v * p.rows + r])
                        #expect(abs(got - want) <= 3e-6 * mag + 1e-30, "\(type) \(shape) nv \(nv) row \(r) vec \(v): \(got) vs \(want)")
                        let (f32, f32mag) = p.preciseReference(row: r, vector: v)
                        let loose = p.activationErrorBound(row: r, vector: v) + 1e-5 * f32mag
                        #expect(abs(got - f32) <= loose, "\(type) \(shape) nv \(nv) row \(r) vec \(v): \(got) vs f32 \(f32)")
                    }
                }
            }
        }
    }

    @Test("row sub-ranges, empty ranges and many vectors", arguments: KType.allCases)
    func ranges(type: KType) {
        let cols = type.isKQuant ? 512 : (type.isFloat ? 70 : 96)
        let p = MatmulProblem(type, rows: 11, cols: cols, vectors: 19, seed: 300 + UInt64(type.rawValue))
        for precise in [false, true] {
            let (act, stride) = KernelRunner.prepare(type, p.x, precise: precise)
            let full = KernelRunner.matmul(type, weights: p.weights, rows: 11, cols: cols, act: act, stride: stride,
                                           vectors: 19, ldy: 11, r0: 0, r1: 11, precise: precise)
            let part = KernelRunner.matmul(type, weights: p.weights, rows: 11, cols: cols, act: act, stride: stride,
                                           vectors: 19, ldy: 11, r0: 3, r1: 8, precise: precise)
            let none = KernelRunner.matmul(type, weights: p.weights, rows: 11, cols: cols, act: act, stride: stride,
                                           vectors: 19, ldy: 11, r0: 4, r1: 4, precise: precise, fill: 5)
            #expect(none.allSatisfy { $0 == 5 }, "\(type): empty range wrote")
            for v in 0..<19 {
                for r in 0..<11 {
                    let i = v * 11 + r
                    if (3..<8).contains(r) {
                        #expect(part[i] == full[i], "\(type) precise \(precise): row \(r) vec \(v) differs in a sub-range")
                    } else {
                        #expect(part[i].isNaN, "\(type): row \(r) outside the range was written")
                    }
                    let (want, mag) = precise ? p.preciseReference(row: r, vector: v)
                        : p.fastReference(row: r, prepared: Array(act[(v * stride)..<((v + 1) * stride)]))
                    #expect(abs(Double(full[i]) - want) <= 3e-6 * mag + 1e-30, "\(type) precise \(precise) vec \(v) row \(r)")
                }
            }
        }
    }
}
