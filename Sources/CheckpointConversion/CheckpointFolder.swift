import Foundation

/// A Hugging Face checkpoint folder: its weights (safetensors or PyTorch `.bin`, one file or
/// shards listed by an index), `config.json` and `tokenizer.model`.
///
/// Opening maps every shard and reads every tensor's description, checking that the index
/// and the shards agree; no tensor data is read.
public final class CheckpointFolder {
    public enum Format: String, Sendable {
        case safetensors, pytorch
    }

    public let directory: String
    public let format: Format
    public var configPath: String { directory + "/config.json" }
    public var tokenizerPath: String { directory + "/tokenizer.model" }
    /// The shard files, in the order the index first names them.
    public let shardPaths: [String]
    /// Every tensor, in shard order and file order within a shard.
    public let tensors: [CheckpointTensor]
    private let byName: [String: Int]

    public func tensor(named name: String) -> CheckpointTensor? { byName[name].map { tensors[$0] } }

    /// The index files and single files looked for, in order of preference (safetensors are
    /// preferred when both are there, as Hugging Face does).
    static let candidates: [(file: String, format: Format, isIndex: Bool)] = [
        ("model.safetensors.index.json", .safetensors, true),
        ("model.safetensors", .safetensors, false),
        ("pytorch_model.bin.index.json", .pytorch, true),
        ("pytorch_model.bin", .pytorch, false),
    ]

    public init(directory: String) throws(CheckpointError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw .missingFile(path: directory, what: "the checkpoint folder")
        }
        guard isDirectory.boolValue else {
            throw .unreadable(path: directory, reason: "not a folder (give the checkpoint's folder)")
        }
        self.directory = directory
        guard let found = Self.candidates.first(where: { FileManager.default.fileExists(atPath: directory + "/" + $0.file) }) else {
            throw .noWeights(directory: directory)
        }
        format = found.format
        let mainPath = directory + "/" + found.file

        var expectedShard: [String: String] = [:]
        let shardNames: [String]
        if found.isIndex {
            let weightMap = try Self.readIndex(mainPath)
            var names: [String] = []
            var seen = Set<String>()
            for (tensor, shard) in weightMap {
                expectedShard[tensor] = shard
                if seen.insert(shard).inserted { names.append(shard) }
            }
            shardNames = names
        } else {
            shardNames = [found.file]
        }
        shardPaths = shardNames.map { directory + "/" + $0 }

        var tensors: [CheckpointTensor] = []
        var byName: [String: Int] = [:]
        // Every shard the index names must be there before any is read: a missing one is the
        // problem to report, not the tensors the index places in it.
        for shardPath in shardPaths where !FileManager.default.fileExists(atPath: shardPath) {
            throw .missingFile(path: shardPath, what: "a shard named by \(found.file)")
        }
        for (shardName, shardPath) in zip(shardNames, shardPaths) {
            let shard = try ShardFile.open(path: shardPath)
            for tensor in shard.tensors {
                if let first = byName[tensor.name] {
                    throw .duplicateTensor(path: tensors[first].path == shardPath ? shardPath : "\(tensors[first].path) and \(shardPath)",
                                           tensor: tensor.name)
                }
                if let expected = expectedShard[tensor.name], expected != shardName {
                    throw .corrupt(path: mainPath, offset: nil, reason: "places tensor '\(oneLine(tensor.name))' in \(expected), "
                        + "but it is in \(shardName)")
                }
                byName[tensor.name] = tensors.count
                tensors.append(tensor)
            }
        }
        for (tensor, shard) in expectedShard.sorted(by: { $0.key < $1.key }) where byName[tensor] == nil {
            throw .missingTensor(path: directory + "/" + shard, tensor: tensor)
        }
        self.tensors = tensors
        self.byName = byName
    }

    /// The `weight_map` of an index file, in file order.
    private static func readIndex(_ path: String) throws(CheckpointError) -> [(tensor: String, shard: String)] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let weightMap = object["weight_map"] as? [String: Any] else {
            throw .corrupt(path: path, offset: nil, reason: "not a JSON object with a 'weight_map' object")
        }
        var entries: [(tensor: String, shard: String)] = []
        for (tensor, value) in weightMap {
            guard let shard = value as? String else {
                throw .corrupt(path: path, offset: nil, reason: "weight_map entry '\(oneLine(tensor))' is not a file name")
            }
            // Shards sit next to the index: a path elsewhere is refused rather than followed.
            guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw .corrupt(path: path, offset: nil, reason: "weight_map names '\(oneLine(shard))', not a file in the folder")
            }
            entries.append((tensor, shard))
        }
        // JSON objects are unordered once parsed; shard names sort in their natural order
        // (`-00001-of-00004` first), which is also how they were written.
        return entries.sorted { ($0.shard, $0.tensor) < ($1.shard, $1.tensor) }
    }
}
