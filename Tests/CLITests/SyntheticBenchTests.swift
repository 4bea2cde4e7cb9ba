import Foundation
import Testing

extension BinaryTests {
/// `xcomposer bench --synthetic`: the hidden tiny preset runs the whole synthetic path (both
/// ceilings, the vision tower, a quantised decoder built in memory, an image prompt and
/// generation) in a second, and names are checked in one line. No timing is asserted.
@Suite(.enabled(if: BinaryRunner.available, "build the binary first (`make test` does)"))
struct SyntheticBenchTests {
    @Test(arguments: ["q4_k", "q8_0", "f16"])
    func tinyPresetReportsEveryFigure(type: String) throws {
        let result = try BinaryRunner.run(["bench", "--synthetic", "xcomposer-tiny", "--type", type,
                                           "--prompt-tokens", "40", "--generate-tokens", "4",
                                           "--repetitions", "1", "-t", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for prefix in ["synthetic", "sgemm", "memory", "vision", "language", "pp40", "tg4", "peak RSS"] {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "no '\(prefix)' line in:\n\(result.stdout)")
        }
        #expect(result.stdout.contains(type.uppercased()))
        #expect(result.stdout.contains("GFLOP/s"))
        #expect(result.stdout.contains("GB/s"))
        #expect(result.stdout.contains("6 image vectors"))
    }

    @Test func unknownModelNameIsOneLine() throws {
        let result = try BinaryRunner.run(["bench", "--synthetic", "xcomposer-13b"])
        #expect(result.status == 1)
        #expect(result.stderr == "xcomposer: --synthetic: unknown model 'xcomposer-13b' (known: xcomposer-7b)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownTypeIsOneLine() throws {
        let result = try BinaryRunner.run(["bench", "--synthetic", "xcomposer-tiny", "--type", "q3_k"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("xcomposer: --type: 'q3_k' is not one of f16, q8_0"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}
}
