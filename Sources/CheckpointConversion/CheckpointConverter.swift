import CKernels
import Foundation
import ModelFiles
import Tensors
import Tokenizers

/// How far a conversion has come, in elements of the tensors written.
public struct ConversionProgress: Sendable, Equatable {
    public var elementsDone: Int
    public var elementsTotal: Int
    /// The GGUF name of the tensor being written.
    public var tensor: String

    public var fraction: Double { elementsTotal == 0 ? 1 : Double(elementsDone) / Double(elementsTotal) }
}

/// What a finished conversion wrote.
public struct ConversionSummary: Sendable, Equatable {
    public var outputPath: String
    public var format: CheckpointFolder.Format
    public var tensorCount: Int
    /// Adapters folded into their weights.
    public var mergedAdapters: Int
    /// Checkpoint tensors not written (`position_ids`, `inv_freq`).
    public var droppedTensors: [String]
    /// Tensors written per storage type.
    public var typeCounts: [String: Int]
    public var warnings: [String]
}

/// Converts a Hugging Face InternLM-XComposer v1 checkpoint folder into one GGUF file.
///
/// Streams tensor by tensor: a tensor is read from its mapped shard in chunks of rows,
/// converted to f32, has its LoRA adapter added (per chunk), is encoded and written, and the
/// pages it came from are handed back. Memory stays at a few chunks plus one adapter pair
/// (tens of MB for the real model), however large the checkpoint or its largest tensor. The GGUF is written as `<output>.partial` and renamed into place at the
/// end; any error removes the partial file, so nothing half-written is ever left.
public enum CheckpointConverter {
    /// Elements converted per chunk (16 MiB of f32).
    public static let defaultChunkElements = 4 << 20

    /// Converts `checkpoint` (a folder) into `output`.
    /// - Parameters:
    ///   - progress: called after each chunk written.
    ///   - warning: called with each warning as it arises (also collected in the summary).
    ///   - chunkElements: how many elements are converted at a time (whole rows, at least one).
    public static func convert(
        checkpoint: String, output: String, options: ConversionOptions,
        progress: (ConversionProgress) -> Void = { _ in },
        warning: (String) -> Void = { _ in },
        chunkElements: Int = defaultChunkElements
    ) throws(CheckpointError) -> ConversionSummary {
        let directory = checkpoint.count > 1 && checkpoint.hasSuffix("/") ? String(checkpoint.dropLast()) : checkpoint
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw .missingFile(path: directory, what: "the checkpoint folder")
        }
        guard isDirectory.boolValue else { throw .unreadable(path: directory, reason: "not a folder (give the checkpoint's folder)") }
        // The output's folder is checked first, so a typo does not cost a whole conversion.
        let outputFolder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var outputIsFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputFolder, isDirectory: &outputIsFolder), outputIsFolder.boolValue else {
            throw .output(.writeFailed(path: output, reason: "the folder \(outputFolder) does not exist"))
        }
        let config = try XComposerConfig(contentsOf: directory + "/config.json")
        let tokenizerPath = directory + "/tokenizer.model"
        guard FileManager.default.fileExists(atPath: tokenizerPath) else {
            throw .missingFile(path: tokenizerPath, what: "the SentencePiece tokenizer")
        }
        let tokenizer: SentencePieceModelFile
        do {
            tokenizer = try SentencePieceModelFile(contentsOf: tokenizerPath)
        } catch {
            throw .tokenizer(error)
        }
        let folder = try CheckpointFolder(directory: directory)
        let plan = try ConversionPlan(folder: folder, config: config)
        var warnings = plan.warnings
        plan.warnings.forEach(warning)
        let (metadata, metadataWarnings) = try XComposerMetadata.entries(config: config, tokenizer: tokenizer, folder: folder,
                                                                         options: options)
        warnings += metadataWarnings
        metadataWarnings.forEach(warning)

        let writer = GGUFWriter(path: output)
        // Whatever happens below, an unfinished writer removes its partial file.
        defer { writer.abandon() }
        for (key, value) in metadata { writer.add(key: key, value: value) }
        var types: [GGMLType] = []
        var typeCounts: [String: Int] = [:]
        for item in plan.items {
            let (type, fallback) = options.storageType(of: item.entry)
            if let fallback {
                warnings.append(fallback)
                warning(fallback)
            }
            let dimensions = Array(item.entry.shape.reversed())
            let elements = item.entry.shape.reduce(1, *)
            guard let bytes = type.byteCount(elements: elements) else {
                throw .badOption(option: "--type", reason: "\(item.entry.output) cannot be stored as \(type.name)")
            }
            writer.addTensor(name: item.entry.output, type: type, dimensions: dimensions, byteCount: bytes)
            types.append(type)
            typeCounts[type.name, default: 0] += 1
        }
        do {
            try writer.writeHeader()
        } catch {
            throw .output(error)
        }

        try writeData(plan: plan, types: types, lora: config.lora, writer: writer, chunkElements: chunkElements,
                      progress: progress)
        do {
            try writer.finish()
        } catch {
            throw .output(error)
        }
        return ConversionSummary(outputPath: output, format: folder.format, tensorCount: plan.items.count,
                                 mergedAdapters: plan.items.filter { $0.lora != nil }.count,
                                 droppedTensors: plan.dropped, typeCounts: typeCounts, warnings: warnings)
    }

    /// Streams every tensor's data, in declaration order, chunk by chunk of whole rows.
    private static func writeData(plan: ConversionPlan, types: [GGMLType], lora: XComposerConfig.LoRA?, writer: GGUFWriter,
                                  chunkElements: Int, progress: (ConversionProgress) -> Void) throws(CheckpointError) {
        let total = plan.items.reduce(0) { $0 + $1.source.elementCount }
        var done = 0
        var encoded = [UInt8]()
        var floats = [Float]()
        for (item, type) in zip(plan.items, types) {
            let source = item.source
            let columns = source.rowLength
            // A LoRA adapter is folded in chunk by chunk: rows r of W' = W + s * B @ A need only
            // rows r of W and B, so A and B (rank-wide, small) are the only whole matrices held.
            var adapter: (a: [Float], b: [Float], rank: Int, scale: Float)?
            if let pair = item.lora, let settings = lora {
                adapter = (try pair.a.readAll(), try pair.b.readAll(), settings.rank, Float(settings.scale))
                pair.a.releasePages()
                pair.b.releasePages()
            }
            let rowsPerChunk = max(1, chunkElements / max(columns, 1))
            var row = 0
            while row < source.rowCount {
                let rows = row..<min(source.rowCount, row + rowsPerChunk)
                let count = rows.count * columns
                if floats.count < count { floats = [Float](repeating: 0, count: count) }
                try floats.withUnsafeMutableBufferPointer { (buffer) throws(CheckpointError) in
                    try source.readRows(rows, into: buffer.baseAddress!)
                    if let adapter {
                        adapter.a.withUnsafeBufferPointer { a in
                            adapter.b.withUnsafeBufferPointer { b in
                                LoRAMerge.merge(into: buffer.baseAddress!, rows: rows.count, columns: columns, a: a.baseAddress!,
                                                b: b.baseAddress! + rows.lowerBound * adapter.rank, rank: adapter.rank,
                                                scale: adapter.scale)
                            }
                        }
                    }
                }
                try write(floats, count: count, type: type, name: item.entry.output, writer: writer, encoded: &encoded)
                row = rows.upperBound
                progress(ConversionProgress(elementsDone: done + row * columns, elementsTotal: total, tensor: item.entry.output))
            }
            source.releasePages()
            done += source.elementCount
            progress(ConversionProgress(elementsDone: done, elementsTotal: total, tensor: item.entry.output))
        }
    }

    /// Encodes the first `count` values (whole rows) as `type` and writes them.
    private static func write(_ values: [Float], count: Int, type: GGMLType, name: String,
                              writer: GGUFWriter, encoded: inout [UInt8]) throws(CheckpointError) {
        guard let bytes = type.byteCount(elements: count) else {
            throw .badOption(option: "--type", reason: "\(name) cannot be stored as \(type.name)")
        }
        if encoded.count < bytes { encoded = [UInt8](repeating: 0, count: bytes) }
        var failure: ModelFileError?
        values.withUnsafeBufferPointer { source in
            encoded.withUnsafeMutableBytes { destination in
                let written = ck_quantize(Int32(bitPattern: type.rawValue), source.baseAddress!, destination.baseAddress!, Int64(count))
                precondition(written == bytes, "ck_quantize wrote \(written) bytes of \(type.name), \(bytes) expected")
                do throws(ModelFileError) {
                    try writer.writeTensorData(name: name, bytes: UnsafeRawBufferPointer(rebasing: destination[0..<bytes]))
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw .output(failure) }
    }
}
