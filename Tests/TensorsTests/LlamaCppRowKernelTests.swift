import CKernels
import Testing

/// The exact path's row kernels on each instruction set (the AVX2 ones, and the AVX-512 VNNI ones
/// that put two rows in one register) against the portable path, bit for bit: odd row counts and
/// odd first rows (the pair loop's tail), one to 48 blocks per row, several vectors with a stride,
/// an all-zero activation block and extreme weight scales.
extension LlamaCppExactKernelTests {
    struct RowProblem {
        let type: Int32, rows: Int, columns: Int, vectors: Int
        var packed: [UInt8] = []
        var activations: [UInt8] = []
        var stride = 0

        init(type: Int32, rows: Int, columns: Int, vectors: Int, seed: UInt64) {
            self.type = type; self.rows = rows; self.columns = columns; self.vectors = vectors
            var random = Generator(state: seed)
            // Row scales from tiny to large, so the f16 block scales span their range.
            var weights = [Float](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                let scale: Float = [0.2, 1e-3, 40, 0.05][r % 4]
                for c in 0..<columns { weights[r * columns + c] = random.float(scale) }
            }
            packed = [UInt8](repeating: 0, count: Int(ck_row_bytes(type, Int64(columns))) * rows)
            _ = ck_quantize(type, weights, &packed, Int64(rows * columns))
            stride = (Int(ck_lc_act_bytes(type, Int64(columns))) + 63) & ~63
            activations = [UInt8](repeating: 0, count: stride * vectors)
            for v in 0..<vectors {
                var input = (0..<columns).map { _ in random.float([3, 0.01, 200][v % 3]) }
                if v == 1 { for i in 0..<min(32, columns) { input[i] = 0 } }
                activations.withUnsafeMutableBytes { raw in
                    ck_lc_act_prepare(type, input, raw.baseAddress! + v * stride, Int64(columns))
                }
            }
        }

        /// Rows [r0, r1) of every vector; other cells keep a sentinel.
        func run(_ r0: Int, _ r1: Int) -> [Float] {
            var output = [Float](repeating: -7, count: vectors * (rows + 3))
            ck_lc_matmul_rows(type, packed, Int64(columns), activations, Int64(stride), Int32(vectors),
                              &output, Int64(rows + 3), Int64(r0), Int64(r1))
            return output
        }
    }

    @Test(arguments: [Int32(CK_TYPE_Q4_1), Int32(CK_TYPE_Q8_0)])
    func rowKernelsAgreeOnEveryInstructionSet(type: Int32) {
        let isas = availableISAs.filter { $0 != "generic" }
        for (index, (rows, columns)) in [(1, 32), (5, 96), (37, 576), (12, 1536), (9, 224)].enumerated() {
            let problem = RowProblem(type: type, rows: rows, columns: columns, vectors: 3,
                                     seed: 1000 + UInt64(index) + UInt64(type) << 8)
            for (r0, r1) in [(0, rows), (1, rows), (rows / 2, rows)] where r0 < r1 {
                let generic = withGeneric { problem.run(r0, r1) }
                for isa in isas {
                    let vector = withISA(isa) { problem.run(r0, r1) }
                    #expect(bits(vector) == bits(generic), "\(isa) \(rows)x\(columns) rows \(r0)..<\(r1)")
                }
                // The sentinel survives outside the range: no row written twice or out of range.
                for v in 0..<3 {
                    for r in 0..<(rows + 3) where r < r0 || r >= r1 {
                        #expect(generic[v * (rows + 3) + r] == -7)
                    }
                }
            }
        }
    }

    /// Batched f16 dot products (attention) against one call per row and the portable path, bit
    /// for bit, including rows whose products are all signed zeros.
    @Test(arguments: [64, 33, 96, 128, 608, 640, 1])
    func f16RowDotProductsAgree(length: Int) {
        var random = Generator(state: 500 + UInt64(length))
        let rows = 13, stride = length + 3
        var x = [UInt16](repeating: 0, count: rows * stride), y = [UInt16](repeating: 0, count: length)
        let xf = (0..<(rows * stride)).map { _ in random.float(4) }, yf = (0..<length).map { _ in random.float(0.5) }
        ck_lc_to_f16(xf, &x, Int64(rows * stride))
        ck_lc_to_f16(yf, &y, Int64(length))
        for i in 0..<length { x[2 * stride + i] = 0x8000 }  // -0 times y: a row of signed zeros
        for i in 0..<length { x[3 * stride + i] = 0 }
        var batched = [Float](repeating: 0, count: rows), generic = batched
        ck_lc_dot_f16_rows(x, Int64(stride), y, Int64(length), Int64(rows), &batched)
        withGeneric { ck_lc_dot_f16_rows(x, Int64(stride), y, Int64(length), Int64(rows), &generic) }
        let single = x.withUnsafeBufferPointer { p in
            (0..<rows).map { r in ck_lc_dot_f16(p.baseAddress! + r * stride, y, Int64(length)) }
        }
        #expect(bits(batched) == bits(single))
        #expect(bits(batched) == bits(generic))
    }

    /// Several query heads per pass (1 to 4, and 6: two passes) against one call per pair and
    /// the portable path, bit for bit.
    @Test(arguments: [64, 96, 608, 33])
    func f16HeadDotProductsAgree(length: Int) {
        var random = Generator(state: 900 + UInt64(length))
        let rows = 11, stride = length + 5, yStride = length + 2, outStride = rows + 1
        var x = [UInt16](repeating: 0, count: rows * stride), y = [UInt16](repeating: 0, count: 6 * yStride)
        ck_lc_to_f16((0..<(rows * stride)).map { _ in random.float(4) }, &x, Int64(rows * stride))
        ck_lc_to_f16((0..<(6 * yStride)).map { _ in random.float(0.5) }, &y, Int64(6 * yStride))
        for i in 0..<length { x[4 * stride + i] = 0x8000 }
        for heads in 1...6 {
            var batched = [Float](repeating: -7, count: heads * outStride), generic = batched
            ck_lc_dot_f16_heads(x, Int64(stride), y, Int64(yStride), Int32(heads), Int64(length), Int64(rows),
                                &batched, Int64(outStride))
            withGeneric {
                ck_lc_dot_f16_heads(x, Int64(stride), y, Int64(yStride), Int32(heads), Int64(length), Int64(rows),
                                    &generic, Int64(outStride))
            }
            var single = [Float](repeating: -7, count: heads * outStride)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    for h in 0..<heads {
                        for r in 0..<rows {
                            single[h * outStride + r] = ck_lc_dot_f16(xp.baseAddress! + r * stride,
                                                                      yp.baseAddress! + h * yStride, Int64(length))
                        }
                    }
                }
            }
            #expect(bits(batched) == bits(single), "\(heads) heads")
            #expect(bits(batched) == bits(generic), "\(heads) heads")
        }
    }
}
