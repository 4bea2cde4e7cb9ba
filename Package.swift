// swift-tools-version:6.0
import PackageDescription

/// XComposer: a terminal app that runs InternLM-XComposer-family models in-process.
/// Layers, bottom up: CKernels/COpenBLAS → Tensors → ModelFiles, Tokenizers → LanguageModels
/// → Engine → xcomposer. See README.md and the docs for the intended shape.
let package = Package(
    name: "xcomposer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xcomposer", targets: ["xcomposer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Hot loops in C: quantised dot products and dequantisation with runtime CPU dispatch.
        .target(name: "CKernels"),

        .target(name: "Tensors", dependencies: ["CKernels", "COpenBLAS"]),
        .target(name: "ModelFiles", dependencies: ["Tensors"]),
        .target(name: "Tokenizers", dependencies: ["ModelFiles"]),
        .target(name: "LanguageModels", dependencies: ["Tensors", "ModelFiles", "Tokenizers"]),
        .target(name: "Engine", dependencies: ["LanguageModels", "Tokenizers"]),
        .executableTarget(
            name: "xcomposer",
            dependencies: [
                "Engine", "LanguageModels", "ModelFiles", "Tokenizers", "Tensors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "CKernels"]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "Tensors"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles"]),
        .testTarget(name: "LanguageModelsTests",
                    dependencies: ["LanguageModels", "ModelFiles", "Tokenizers", "Tensors"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "LanguageModels", "Tokenizers"]),
        // Runs the built `xcomposer` binary (make test builds it first) as a user would.
        .testTarget(name: "CLITests", dependencies: ["ModelFiles", "Tensors", "LanguageModels"]),
    ]
)
