// swift-tools-version:6.0
import PackageDescription

/// XComposer: a terminal app that runs InternLM-XComposer-family models in-process.
/// Layers, bottom up: CKernels/COpenBLAS → Tensors → ModelFiles, Tokenizers → LanguageModels
/// → Engine → AppCore (pure UI state) → CursesUI (the terminal) → xcomposer. Images: CJpegShim/CPng
/// → ImageIO → TerminalGraphics (libchafa). See README.md and the docs for the intended shape.
let package = Package(
    name: "xcomposer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xcomposer", targets: ["xcomposer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // C libraries from Debian.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // No pkgConfig: SwiftPM drops its -D flags, so the shim defines the wide-character API itself.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        .systemLibrary(name: "CPng", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libjpeg reports errors by longjmp, which Swift cannot catch: a small C shim does.
        .target(name: "CJpegShim", linkerSettings: [.linkedLibrary("jpeg")]),
        // Hot loops in C: quantised dot products and dequantisation with runtime CPU dispatch.
        .target(name: "CKernels"),

        .target(name: "Tensors", dependencies: ["CKernels", "COpenBLAS"]),
        .target(name: "ModelFiles", dependencies: ["Tensors"]),
        .target(name: "Tokenizers", dependencies: ["ModelFiles"]),
        .target(name: "LanguageModels", dependencies: ["Tensors", "ModelFiles", "Tokenizers"]),
        .target(name: "Engine", dependencies: ["LanguageModels", "Tokenizers"]),
        .target(name: "ImageIO", dependencies: ["CJpegShim", "CPng"]),
        .target(name: "TerminalGraphics", dependencies: ["CChafa", "ImageIO"]),
        .target(name: "AppCore", dependencies: ["Engine", "Tokenizers", "Composer"]),
        // The article composer's pure core: prompts, answer parsing, the document model.
        .target(name: "Composer", dependencies: ["Engine"]),
        .target(name: "CursesUI", dependencies: ["CNcursesw", "AppCore", "TerminalGraphics", "ImageIO"]),
        // Chat sessions saved in SQLite, listed, resumed and exported.
        .target(name: "LocalStorage"),
        .target(name: "SessionStore", dependencies: ["AppCore", "Composer", "LocalStorage", .product(name: "GRDB", package: "GRDB.swift")]),
        // The user's own photos, indexed in SQLite with captions, retrieved by caption (BM25).
        .target(name: "ImageLibrary", dependencies: ["ImageIO", "LocalStorage", .product(name: "GRDB", package: "GRDB.swift")]),
        // XComposer's eyes: EVA ViT, the perceive sampler (Q-Former) and the projection, from GGUF.
        .target(name: "VisionModels", dependencies: ["Tensors", "ModelFiles", "ImageIO", "CKernels", "COpenBLAS",
                                              "LanguageModels", "Tokenizers"]),
        // `xcomposer convert`: Hugging Face InternLM-XComposer checkpoints (.bin or safetensors) to GGUF.
        .target(name: "CheckpointConversion", dependencies: ["ModelFiles", "Tensors", "Tokenizers", "CKernels", "COpenBLAS"]),
        .executableTarget(
            name: "xcomposer",
            dependencies: [
                "Engine", "LanguageModels", "ModelFiles", "Tokenizers", "Tensors",
                "AppCore", "CursesUI", "ImageIO", "TerminalGraphics", "SessionStore",
                "ImageLibrary", "Composer", "LocalStorage", "VisionModels", "CheckpointConversion",
                "CKernels", "COpenBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "CKernels"]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "Tensors"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles"], exclude: ["Fixtures"]),
        .testTarget(name: "LanguageModelsTests",
                    dependencies: ["LanguageModels", "ModelFiles", "Tokenizers", "Tensors"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "LanguageModels", "Tokenizers"]),
        .testTarget(name: "VisionModelsTests",
                    dependencies: ["FixtureSupport", "VisionModels", "LanguageModels", "Engine", "Tokenizers", "ModelFiles", "Tensors", "ImageIO",
                                   "CheckpointConversion"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO"], exclude: ["Fixtures"]),
        .testTarget(name: "TerminalGraphicsTests", dependencies: ["TerminalGraphics", "ImageIO"]),
        .testTarget(name: "AppCoreTests", dependencies: ["AppCore", "Engine", "Tokenizers"]),
        .testTarget(name: "ComposerTests", dependencies: ["Composer", "Engine"], exclude: ["Fixtures"]),
        .testTarget(name: "SessionStoreTests", dependencies: ["SessionStore", "AppCore"]),
        .testTarget(name: "ImageLibraryTests", dependencies: ["ImageLibrary", "ImageIO"]),
        // NumPy .npy fixtures and the comparison measure, shared by the reference-checked tests.
        .target(name: "FixtureSupport", path: "Tests/FixtureSupport"),
        .testTarget(name: "CheckpointConversionTests",
                    dependencies: ["FixtureSupport", "CheckpointConversion", "ModelFiles", "Tensors", "Tokenizers", "LanguageModels", "VisionModels"]),
        // The app's composition code (step runners, selection, library captioning) on the tiny
        // converted XComposer checkpoint, in-process.
        .testTarget(name: "ComposeRunTests",
                    dependencies: ["xcomposer", "CheckpointConversion", "Composer", "Engine", "ImageIO", "ImageLibrary",
                                   "LanguageModels", "ModelFiles", "Tokenizers", "VisionModels"]),
        // Runs the built `xcomposer` binary (make test builds it first) as a user would, including
        // the terminal app inside tmux.
        .testTarget(name: "CLITests", dependencies: ["ModelFiles", "Tensors", "LanguageModels", "ImageIO", "Composer"]),
    ]
)
