import ModelFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One mapped checkpoint file (a `.bin` archive or a `.safetensors` file) and the tensors in it.
///
/// The file is mapped read-only; tensors are views into the mapping. Pages a converted tensor
/// used are handed back (`release`), so memory stays near one tensor's worth however large
/// the checkpoint is.
final class ShardFile {
    /// Where a storage's bytes lie in the file.
    struct StorageRange: Hashable {
        /// Name of the bytes inside the file, for messages (a ZIP entry name, or the tensor
        /// name in a safetensors file).
        let name: String
        let offset: Int
        let size: Int
        /// The CRC-32 recorded for these bytes (ZIP entries); nil when the format has none.
        let crc32: UInt32?
    }

    let path: String
    let file: MappedFile
    /// Tensors in file order.
    private(set) var tensors: [CheckpointTensor] = []
    /// Storages whose CRC has been checked.
    private var verified = Set<Int>()

    init(path: String) throws(CheckpointError) {
        self.path = path
        do {
            file = try MappedFile(path: path)
        } catch .fileNotFound {
            throw .missingFile(path: path, what: "a checkpoint shard")
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    /// Opens a shard of either format, by its file name's extension.
    static func open(path: String) throws(CheckpointError) -> ShardFile {
        if path.hasSuffix(".safetensors") { return try SafetensorsReader.open(path: path) }
        return try PyTorchArchiveReader.open(path: path)
    }

    func append(_ tensor: CheckpointTensor) { tensors.append(tensor) }

    /// The whole mapping.
    var bytes: UnsafeRawBufferPointer { file.bytes }

    /// Checks a storage's CRC the first time any of its tensors is read, a slice at a time,
    /// handing each slice's pages back as it goes (a storage can be most of a gigabyte).
    func verify(_ storage: StorageRange) throws(CheckpointError) {
        guard let expected = storage.crc32, !verified.contains(storage.offset) else { return }
        let slice = 64 << 20
        var crc: UInt32 = 0
        var start = storage.offset
        let end = storage.offset + storage.size
        while start < end {
            let next = min(end, start + slice)
            crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: file.bytes[start..<next]), continuing: crc)
            release(offset: start, size: next - start)
            start = next
        }
        guard crc == expected else {
            throw .corrupt(path: path, offset: storage.offset,
                           reason: "'\(oneLine(storage.name))' fails its CRC-32 check (the shard is damaged; download it again)")
        }
        verified.insert(storage.offset)
    }

    /// Drops the pages wholly inside a storage from this process (the page cache keeps them).
    func release(_ storage: StorageRange) { release(offset: storage.offset, size: storage.size) }

    /// Drops the pages wholly inside `size` bytes at `offset`. The mapping is read-only, so a
    /// page needed again is simply read back from the file.
    func release(offset: Int, size: Int) {
        guard let base = file.base, size > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (offset + page - 1) / page * page
        let end = (offset + size) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }
}
