import Dispatch
import ImageIO
import ModelFiles
import Synchronization
import Tensors
import VisionModels

/// The chat screen's eyes: the loaded XComposer model's vision tower on a compute pool of its
/// own, and the vectors of every image it has read so far.
///
/// Encodings run one at a time on a serial queue, never on the UI thread. The pool is separate
/// from the decoder's because the two may overlap for a moment (a cancelled reply still
/// finishing while the next one's images are read), and a pool must never run two jobs at once.
/// Each reply re-sends the whole conversation, so earlier turns' images come from the cache
/// instead of being encoded again.
final class ChatVision: Sendable {
    let model: XComposerVisionModel
    let queue = DispatchQueue(label: "xcomposer.chat-vision")
    private let cache = Mutex<[String: ImageEmbedding]>([:])

    init(file: GGUFFile, threads: Int) throws(VisionLoadError) {
        model = try XComposerVisionModel(file: file, pool: ComputePool(threadCount: threads))
    }

    /// The vectors of the image at `path`, decoded and encoded on first use.
    /// - Throws: `ImageError` for a file that cannot be read, `VisionCancelled` when
    ///   `shouldCancel` turns true between two blocks.
    func embedding(for path: String, shouldCancel: () -> Bool) throws -> ImageEmbedding {
        if let known = cache.withLock({ $0[path] }) { return known }
        let picture = try ImageDecoder.decode(path: path)
        let embedding = try model.encode(picture, shouldCancel: shouldCancel)
        cache.withLock { $0[path] = embedding }
        return embedding
    }
}
