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

    /// The converted f32 GGUF, written on first use.
    static let ggufPath: Result<String, Error> = Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcomposer-vision-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("xcomposer-tiny-f32.gguf").path
        try StopGapConversion.convert(root: root, output: path)
        return path
    }

    static func file() throws -> GGUFFile { try GGUFFile.open(path: try ggufPath.get()) }

    static func referenceArray(_ name: String) throws -> NpyArray {
        try NpyArray(contentsOf: reference.appendingPathComponent(name))
    }
}
