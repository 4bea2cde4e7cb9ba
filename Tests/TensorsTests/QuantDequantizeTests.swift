import CKernels
import Testing

@Suite("Dequantisation against the Swift block formulas")
struct QuantDequantizeTests {
    @Test("random blocks dequantise bit for bit like the reference, on every ISA",
          arguments: KType.allCases)
    func randomBlocks(type: KType) {
        var rng = SeededGenerator(seed: 0xD0 + UInt64(type.rawValue))
        let blocks = type.isKQuant ? 9 : (type.isFloat ? 301 : 67)
        let count = blocks * type.blockElements
        let bytes = ReferenceDequantizer.randomBlocks(type, blocks: blocks, rng: &rng)
        let want = ReferenceDequantizer.dequantize(type, bytes, count: count)
        for isa in availableISAs {
            var got = [Float](repeating: .nan, count: count)
            withISA(isa) { ck_dequantize(type.rawValue, bytes, &got, Int64(count)) }
            let mismatches = zip(got, want).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(mismatches == 0, "\(type) on \(isa): \(mismatches) of \(count) values differ")
        }
    }

    @Test("dequantize_rows writes rows [r0, r1) from dst[0], matching whole-matrix dequantisation",
          arguments: KType.allCases)
    func rowRanges(type: KType) {
        var rng = SeededGenerator(seed: 0xE0 + UInt64(type.rawValue))
        let cols = type.isKQuant ? 512 : 96, rows = 7
        let perRow = cols / type.blockElements
        let bytes = ReferenceDequantizer.randomBlocks(type, blocks: perRow * rows, rng: &rng)
        let all = ReferenceDequantizer.dequantize(type, bytes, count: rows * cols)
        for isa in availableISAs {
            for (r0, r1) in [(0, rows), (2, 5), (6, 7), (3, 3)] {
                var got = [Float](repeating: -7, count: rows * cols)
                withISA(isa) { ck_dequantize_rows(type.rawValue, bytes, Int64(cols), &got, Int64(r0), Int64(r1)) }
                let n = (r1 - r0) * cols
                #expect(Array(got[0..<n]).map(\.bitPattern) == Array(all[(r0 * cols)..<(r1 * cols)]).map(\.bitPattern),
                        "\(type) rows \(r0)..<\(r1) on \(isa)")
                #expect(got[n...].allSatisfy { $0 == -7 }, "\(type) wrote past its rows on \(isa)")
            }
        }
    }
}
