import CKernels
import Foundation
import Testing

@Suite("Every instruction set against the generic kernels")
struct KernelIsaTests {
    static let simdISAs = availableISAs.filter { $0 != "generic" }

    @Test("the dispatcher picks the best available set, and forcing is per thread")
    func dispatch() {
        let best = availableISAs.last!
        #expect(String(cString: ck_isa()) == best || ProcessInfoLite.isaOverride != nil)
        for isa in availableISAs {
            withISA(isa) { #expect(String(cString: ck_isa()) == isa) }
        }
        #expect(ck_force_isa(nil) == 1)
    }

    @Test("prepared activations are byte for byte the generic ones", arguments: KType.allCases)
    func activations(type: KType) {
        var rng = SeededGenerator(seed: 400 + UInt64(type.rawValue))
        let cols = type.isKQuant ? 768 : (type.isFloat ? 77 : 224)
        var x = (0..<3).map { v in rng.floats(cols, scale: [1, 1e-3, 300][v]) }
        x[0][5] = 0
        for i in 0..<32 { x[1][32 + i] = 0 }  // an all-zero block
        let want = withISA("generic") { KernelRunner.prepare(type, x, precise: false).bytes }
        for isa in Self.simdISAs {
            let got = withISA(isa) { KernelRunner.prepare(type, x, precise: false).bytes }
            #expect(got == want, "\(type) activations on \(isa)")
        }
    }

    @Test("matmul results agree with generic to float rounding", arguments: KType.allCases)
    func matmul(type: KType) {
        let shapes: [(Int, Int)] = type.isKQuant ? [(7, 256), (5, 1280)]
            : type.isFloat ? [(9, 31), (6, 600)] : [(7, 32), (9, 96), (6, 1536)]
        for (i, (rows, cols)) in shapes.enumerated() {
            let p = MatmulProblem(type, rows: rows, cols: cols, vectors: 11, seed: 500 + UInt64(i) + UInt64(type.rawValue) << 8)
            for precise in [false, true] {
                let (act, stride) = KernelRunner.prepare(type, p.x, precise: precise)
                for nv in [1, 2, 3, 4, 5, 8, 11] {
                    let run = {
                        KernelRunner.matmul(type, weights: p.weights, rows: rows, cols: cols, act: act, stride: stride,
                                            vectors: nv, ldy: rows, r0: 0, r1: rows, precise: precise)
                    }
                    let want = withISA("generic", run)
                    for isa in Self.simdISAs {
                        let got = withISA(isa, run)
                        for v in 0..<nv {
                            for r in 0..<rows {
                                let mag = precise ? p.preciseReference(row: r, vector: v).magnitude
                                    : p.fastReference(row: r, prepared: Array(act[(v * stride)..<((v + 1) * stride)])).magnitude
                                let diff = abs(Double(got[v * rows + r]) - Double(want[v * rows + r]))
                                #expect(diff <= 4e-6 * mag + 1e-30,
                                        "\(type) \(rows)x\(cols) precise \(precise) nv \(nv) row \(r) vec \(v) on \(isa)")
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The CK_ISA environment override, if any (then the dispatcher's choice is not the best).
enum ProcessInfoLite {
    static var isaOverride: String? {
        guard let value = getenv("CK_ISA") else { return nil }
        return String(cString: value)
    }
}
