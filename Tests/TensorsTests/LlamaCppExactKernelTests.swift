import CKernels
import Foundation
import Testing

/// The llama.cpp-exact kernels' vector paths against their portable paths, bit for bit (the
/// portable paths spell out ggml's operations one by one; the end-to-end proof against llama.cpp
/// itself is LlamaCppFidelityTests).
@Suite(.serialized) struct LlamaCppExactKernelTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func float(_ scale: Float = 1) -> Float {
            (Float(next() % 2_000_001) / 1_000_000 - 1) * scale
        }
    }

    func withGeneric<T>(_ body: () -> T) -> T {
        ck_lc_force_generic(1)
        defer { ck_lc_force_generic(0) }
        return body()
    }

    func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test(arguments: [64, 128, 96, 640, 33])
    func f16DotProductsAgree(length: Int) {
        var random = Generator(state: UInt64(length))
        var x = [UInt16](repeating: 0, count: length), y = x
        let xf = (0..<length).map { _ in random.float(4) }, yf = (0..<length).map { _ in random.float(0.5) }
        ck_lc_to_f16(xf, &x, Int64(length))
        ck_lc_to_f16(yf, &y, Int64(length))
        let vector = ck_lc_dot_f16(x, y, Int64(length))
        let generic = withGeneric { ck_lc_dot_f16(x, y, Int64(length)) }
        #expect(vector.bitPattern == generic.bitPattern)
        let exact = zip(xf, yf).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(Double(vector) - exact) < 0.05 * Double(length).squareRoot())
    }

    @Test(arguments: [32, 64, 640])
    func softmaxAgreesAndSumsToOne(cells: Int) {
        var random = Generator(state: 7 + UInt64(cells))
        let scores = (0..<cells).map { _ in random.float(30) }
        let visible = cells - 5
        var vector = scores, generic = scores
        ck_lc_softmax(&vector, Int64(cells), 0.125, Int64(visible))
        withGeneric { ck_lc_softmax(&generic, Int64(cells), 0.125, Int64(visible)) }
        #expect(bits(vector) == bits(generic))
        #expect(vector[visible...].allSatisfy { $0 == 0 })
        #expect(abs(vector.reduce(0, +) - 1) < 1e-5)
    }

    @Test func swigluAgreesAcrossTheExpRange() {
        var random = Generator(state: 99)
        let count = 1536 + 7
        let gate = (0..<count).map { i in i < 16 ? Float(i - 8) * 30 : random.float(12) }
        let up = (0..<count).map { _ in random.float(2) }
        var vector = gate, generic = gate
        ck_lc_swiglu(&vector, up, Int64(count))
        withGeneric { ck_lc_swiglu(&generic, up, Int64(count)) }
        // The portable path uses ggml's vector exp for every element, the vector path (like ggml)
        // libm's expf for the tail past the last whole 16 elements.
        let whole = count / 16 * 16
        #expect(bits(Array(vector[..<whole])) == bits(Array(generic[..<whole])))
        for i in 0..<count {
            let silu = Double(gate[i]) / (1 + exp(-Double(gate[i])))
            #expect(abs(Double(vector[i]) - silu * Double(up[i])) <= 1e-5 * max(1, abs(silu * Double(up[i]))))
        }
    }

    @Test(arguments: [Int32(CK_TYPE_Q4_1), Int32(CK_TYPE_Q8_0)])
    func quantisedRowsAgree(type: Int32) {
        var random = Generator(state: UInt64(type) * 31)
        let rows = 37, columns = 576
        let weights = (0..<(rows * columns)).map { _ in random.float(0.2) }
        var packed = [UInt8](repeating: 0, count: Int(ck_row_bytes(type, Int64(columns))) * rows)
        _ = ck_quantize(type, weights, &packed, Int64(rows * columns))
        let input = (0..<columns).map { _ in random.float(3) }
        var activation = [UInt8](repeating: 0, count: Int(ck_lc_act_bytes(type, Int64(columns))))
        ck_lc_act_prepare(type, input, &activation, Int64(columns))
        var vector = [Float](repeating: 0, count: rows), generic = vector
        ck_lc_matmul_rows(type, packed, Int64(columns), activation, 0, 1, &vector, 0, 0, Int64(rows))
        withGeneric {
            ck_lc_matmul_rows(type, packed, Int64(columns), activation, 0, 1, &generic, 0, 0, Int64(rows))
        }
        #expect(bits(vector) == bits(generic))
        var dequantized = [Float](repeating: 0, count: rows * columns)
        ck_dequantize(type, packed, &dequantized, Int64(rows * columns))
        for r in 0..<rows {
            let exact = (0..<columns).reduce(0.0) { $0 + Double(dequantized[r * columns + $1]) * Double(input[$1]) }
            #expect(abs(Double(vector[r]) - exact) < 0.05 * max(1, abs(exact)))
        }
    }
}
