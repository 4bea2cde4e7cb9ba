import Foundation
import LanguageModels
import ModelFiles
import Tensors
import Testing

extension BinaryTests {
/// Bad input to the command line: one line on stderr naming the file or input and the problem,
/// exit status 1, no crash.
@Suite(.enabled(if: BinaryRunner.available, "build the binary first (`make test` does)"))
struct BadInputTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcomposer-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func expectOneLineFailure(_ result: BinaryRunner.Result, mentions fragments: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "exit status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr should be one line: \(result.stderr)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    func write(_ bytes: [UInt8], name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A minimal GGUF v3 header with one tensor, written by hand so it can say impossible things.
    func handMadeGGUF(dimensions: [UInt64], type: UInt32, offset: UInt64) -> [UInt8] {
        var bytes: [UInt8] = Array("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        u32(3); u64(1); u64(0)
        let name = Array("token_embd.weight".utf8)
        u64(UInt64(name.count)); bytes += name
        u32(UInt32(dimensions.count)); for d in dimensions { u64(d) }
        u32(type); u64(offset)
        while bytes.count % 32 != 0 { bytes.append(0) }
        bytes += [UInt8](repeating: 0, count: 64)
        return bytes
    }

    @Test func missingModelFile() throws {
        let path = directory.appendingPathComponent("nope.gguf").path
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["nope.gguf"])
    }

    @Test func wrongMagic() throws {
        let path = try write(Array("PK\u{3}\u{4} this is a zip, not a model".utf8) + [UInt8](repeating: 0, count: 64), name: "zip.gguf")
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["zip.gguf", "GGUF"])
    }

    @Test(.enabled(if: BinaryRunner.defaultModelPresent))
    func truncatedModel() throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: BinaryRunner.defaultModelPathForTests))
        let prefix = try handle.read(upToCount: 5_000_000) ?? Data()
        let path = try write([UInt8](prefix), name: "truncated.gguf")
        expectOneLineFailure(try BinaryRunner.run(["generate", "-m", path, "-p", "hi"]), mentions: ["truncated.gguf"])
    }

    @Test func absurdDimensions() throws {
        let path = try write(handMadeGGUF(dimensions: [1 << 40, 1 << 40], type: 0, offset: 0), name: "huge.gguf")
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["huge.gguf", "token_embd.weight"])
    }

    @Test func offsetOutsideTheFile() throws {
        let path = try write(handMadeGGUF(dimensions: [8], type: 0, offset: 1 << 50), name: "offset.gguf")
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["offset.gguf", "token_embd.weight"])
    }

    @Test func unknownArchitecture() throws {
        let path = directory.appendingPathComponent("mamba.gguf").path
        try GGUFWriter.write(path: path, metadata: [("general.architecture", .string("mamba9"))])
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["mamba.gguf", "mamba9", "not supported"])
    }

    @Test func unsupportedTensorType() throws {
        let path = directory.appendingPathComponent("q2k.gguf").path
        let keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")), ("llama.block_count", .uint32(1)),
            ("llama.embedding_length", .uint32(256)), ("llama.feed_forward_length", .uint32(256)),
            ("llama.attention.head_count", .uint32(2)), ("llama.vocab_size", .uint32(4)),
        ]
        let q2k = GGUFWriter.Tensor(name: "token_embd.weight", type: .q2_K, dimensions: [256, 4],
                                    bytes: [UInt8](repeating: 0, count: GGMLType.q2_K.byteCount(elements: 1024)!))
        try GGUFWriter.write(path: path, metadata: keys.map { (key: $0.0, value: $0.1) }, tensors: [q2k])
        expectOneLineFailure(try BinaryRunner.run(["bench", "-m", path]), mentions: ["q2k.gguf", "token_embd.weight", "Q2_K"])
    }

    @Test(.enabled(if: BinaryRunner.defaultModelPresent))
    func promptLongerThanTheContext() throws {
        let prompt = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 20)
        let result = try BinaryRunner.run(["generate", "-c", "32", "-p", prompt])
        expectOneLineFailure(result, mentions: ["context"])
    }

    @Test(.enabled(if: BinaryRunner.defaultModelPresent))
    func nonUTF8PromptArgument() throws {
        let result = try BinaryRunner.run([], shellArguments: "generate -p \"$(printf 'caf\\351 au lait')\"")
        expectOneLineFailure(result, mentions: ["UTF-8", "0xE9"])
    }

    @Test(.enabled(if: BinaryRunner.defaultModelPresent))
    func nonUTF8PromptFile() throws {
        let path = try write(Array("caf".utf8) + [0xE9] + Array(" au lait".utf8), name: "latin1.txt")
        expectOneLineFailure(try BinaryRunner.run(["generate", "--prompt-file", path]), mentions: ["latin1.txt", "UTF-8"])
    }
}
}

extension BinaryRunner {
    static var defaultModelPathForTests: String { ModelLoader.defaultModelPath }
}
