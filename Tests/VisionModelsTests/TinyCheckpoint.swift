import CheckpointConversion
import FixtureSupport
import Foundation
import ModelFiles
import Tensors
import VisionModels

/// The tiny XComposer checkpoint of Tests/SharedFixtures/xcomposer-tiny, its reference outputs,
/// and its conversion to GGUF (done once per test process, into a temporary folder).
enum TinyCheckpoint {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SharedFixtures/xcomposer-tiny")
    static let reference = root.appendingPathComponent("reference")
    static let images = root.appendingPathComponent("images")
    /// The photos the reference covers, by file name.
    static let imageNames = ["rocket.jpg", "chelsea.png"]

    /// The checkpoint converted by `xcomposer convert`'s library at f32, written on first use,
    /// mapped, then deleted from disk (the mapping keeps its data alive for the whole test
    /// process).
    static let converted: Result<GGUFFile, Error> = Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcomposer-vision-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("xcomposer-tiny-f32.gguf").path
        // The real checkpoint layout (zip-pickle .bin shards, LoRA unmerged), all f32.
        let options = try ConversionOptions(languageType: .f32, visionType: .f32)
        _ = try CheckpointConverter.convert(checkpoint: root.appendingPathComponent("checkpoint-bin").path,
                                            output: path, options: options)
        return try GGUFFile.open(path: path)
    }

    static func file() throws -> GGUFFile { try converted.get() }

    /// A copy of the converted file with its metadata and tensors changed by `edit`, written to
    /// a temporary path, opened and deleted again (for the bad-input tests).
    static func edited(_ name: String,
                       _ edit: (inout [(key: String, value: GGUFValue)], inout [GGUFWriter.Tensor]) -> Void) throws -> GGUFFile {
        let source = try file()
        var metadata = source.metadata.keys.map { (key: $0, value: source.metadata[$0]!) }
        var tensors = source.tensors.map { info in
            GGUFWriter.Tensor(name: info.name, type: info.type, dimensions: info.dimensions,
                              bytes: Array(source.bytes(of: info)))
        }
        edit(&metadata, &tensors)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(getpid())-\(name)").path
        defer { unlink(path) }
        try GGUFWriter.write(path: path, metadata: metadata, tensors: tensors)
        return try GGUFFile.open(path: path)
    }

    static func referenceArray(_ name: String) throws -> NpyArray {
        try NpyArray(contentsOf: reference.appendingPathComponent(name))
    }
}
