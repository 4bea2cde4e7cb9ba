import Foundation

/// Reads a `.safetensors` file: an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and `data_offsets` (relative to the end of the header), then the
/// data. Every range is checked against the file, against its shape, and against the others.
enum SafetensorsReader {
    /// The format caps the header at 100 MB; a larger length is damage.
    static let maximumHeaderSize = 100_000_000

    static func open(path: String) throws(CheckpointError) -> ShardFile {
        let shard = try ShardFile(path: path)
        let file = LittleEndianBytes(bytes: shard.bytes, path: path)
        let headerLength = try file.u64(0, "the safetensors header length")
        guard headerLength <= UInt64(maximumHeaderSize), Int(headerLength) <= file.count - 8 else {
            throw .corrupt(path: path, offset: 0, reason: "header length \(headerLength) does not fit in the \(file.count)-byte file")
        }
        let dataStart = 8 + Int(headerLength)
        let dataSize = file.count - dataStart
        let header = Data(try file.slice(8, Int(headerLength), "the safetensors header"))
        guard let object = try? JSONSerialization.jsonObject(with: header), let entries = object as? [String: Any] else {
            throw .corrupt(path: path, offset: 8, reason: "the header is not a JSON object")
        }

        var described: [(name: String, dtype: StoredDType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in entries where name != "__metadata__" {
            guard let fields = value as? [String: Any] else {
                throw .corrupt(path: path, offset: 8, reason: "header entry '\(oneLine(name))' is not an object")
            }
            guard let dtypeName = fields["dtype"] as? String else {
                throw .corrupt(path: path, offset: 8, reason: "tensor '\(oneLine(name))' has no dtype")
            }
            guard let dtype = StoredDType(safetensorsName: dtypeName) else {
                throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw .corrupt(path: path, offset: 8, reason: "tensor '\(oneLine(name))' has no valid shape")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw .corrupt(path: path, offset: 8, reason: "tensor '\(oneLine(name))' has no valid data_offsets")
            }
            guard offsets[1] <= dataSize else {
                throw .corrupt(path: path, offset: dataStart + offsets[0], reason: "tensor '\(oneLine(name))' data ends at byte "
                    + "\(dataStart + offsets[1]), past the end of the file (\(file.count) bytes)")
            }
            var elements = 1
            for size in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else { throw .corrupt(path: path, offset: 8, reason: "tensor '\(oneLine(name))' shape is too large") }
                elements = product
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, bytes == offsets[1] - offsets[0] else {
                throw .corrupt(path: path, offset: 8, reason: "tensor '\(oneLine(name))' \(dtypeName) \(shape) needs "
                    + "\(elements * dtype.size) bytes but data_offsets give \(offsets[1] - offsets[0])")
            }
            described.append((name, dtype, shape, offsets[0], offsets[1]))
        }
        described.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (previous, next) in zip(described, described.dropFirst()) where next.begin < previous.end {
            throw .corrupt(path: path, offset: dataStart + next.begin,
                           reason: "data of tensors '\(oneLine(previous.name))' and '\(oneLine(next.name))' overlap")
        }
        for tensor in described {
            var strides = [Int](repeating: 1, count: tensor.shape.count)
            for index in tensor.shape.indices.reversed().dropFirst() {
                strides[index] = strides[index + 1] * tensor.shape[index + 1]
            }
            let storage = ShardFile.StorageRange(name: tensor.name, offset: dataStart + tensor.begin,
                                                 size: tensor.end - tensor.begin, crc32: nil)
            shard.append(try CheckpointTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, strides: strides,
                                              elementOffset: 0, shard: shard, storage: storage))
        }
        return shard
    }

    /// A JSON array of integers (JSON numbers that are whole and fit an `Int`).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            guard let number = item as? NSNumber else { return nil }
            let integer = number.int64Value
            guard Double(integer) == number.doubleValue else { return nil }
            result.append(Int(integer))
        }
        return result
    }
}
