/// Reads the tensors of a PyTorch `.bin` checkpoint (the ZIP format `torch.save` has written
/// since 1.6): `<archive>/data.pkl` holds the pickled state dict, `<archive>/data/<key>` the
/// raw little-endian bytes of each storage.
enum PyTorchArchiveReader {
    static func open(path: String) throws(CheckpointError) -> ShardFile {
        let shard = try ShardFile(path: path)
        let bytes = shard.bytes
        if bytes.count >= 2, bytes[0] == 0x80, bytes[1] <= 5 {  // a bare pickle: PROTO first
            throw .unsupported(path: path, reason: "a legacy (before PyTorch 1.6) torch.save file, not a ZIP checkpoint; "
                + "load and save it again with a current PyTorch")
        }
        let archive = try ZipArchive(bytes: bytes, path: path)

        // The pickle sits one folder deep; the folder's name is the archive name.
        let pickles = archive.entries.filter { entry in
            entry.name.hasSuffix("/data.pkl") && entry.name.split(separator: "/", omittingEmptySubsequences: false).count == 2
        }
        guard pickles.count == 1, let pickle = pickles.first else {
            throw .corrupt(path: path, offset: nil, reason: pickles.isEmpty
                ? "no <archive>/data.pkl entry (not a PyTorch checkpoint)" : "more than one data.pkl entry")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: prefix + "byteorder") {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[order.dataOffset..<(order.dataOffset + order.size)]),
                              as: UTF8.self)
            guard text == "little" else {
                throw .unsupported(path: path, reason: "tensors are stored '\(oneLine(text))'-endian; only little-endian is supported")
            }
        }
        let pickleRange = ShardFile.StorageRange(name: pickle.name, offset: pickle.dataOffset, size: pickle.size, crc32: pickle.crc32)
        try shard.verify(pickleRange)
        let pickleBytes = UnsafeRawBufferPointer(rebasing: bytes[pickle.dataOffset..<(pickle.dataOffset + pickle.size)])
        let stateDict = try PickleReader.readStateDict(pickleBytes, path: path)

        for (name, pickled) in stateDict {
            let entryName = prefix + "data/" + pickled.storageKey
            guard let entry = archive.entry(named: entryName) else {
                throw .corrupt(path: path, offset: nil, reason: "tensor '\(oneLine(name))' refers to storage "
                    + "'\(oneLine(pickled.storageKey))', which has no entry '\(oneLine(entryName))'")
            }
            let (needed, overflow) = pickled.storageElements.multipliedReportingOverflow(by: pickled.dtype.size)
            guard !overflow, entry.size >= needed else {
                throw .corrupt(path: path, offset: entry.dataOffset, reason: "storage '\(oneLine(entryName))' holds "
                    + "\(entry.size) bytes, fewer than its \(pickled.storageElements) \(pickled.dtype.rawValue) elements need")
            }
            let storage = ShardFile.StorageRange(name: entryName, offset: entry.dataOffset,
                                                 size: entry.size, crc32: entry.crc32)
            shard.append(try CheckpointTensor(name: name, dtype: pickled.dtype, shape: pickled.shape,
                                              strides: pickled.strides, elementOffset: pickled.offset,
                                              shard: shard, storage: storage))
        }
        return shard
    }
}
