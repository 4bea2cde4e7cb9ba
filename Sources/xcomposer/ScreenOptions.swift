import AppCore
import ArgumentParser

/// How the terminal apps look and whether they take the mouse: shared by chat, compose and edit.
struct ScreenOptions: ParsableArguments {
    @Option(help: "Colour theme: a name from themes/ or the config folder (dark, light, high-contrast), or a .toml path.")
    var theme: String = "dark"

    @Flag(help: "Leave the mouse to the terminal (no wheel scrolling, plain text selection).")
    var noMouse = false

    /// The theme, or a one-line failure naming the file.
    func loadTheme() throws -> Theme {
        do { return try ConfigFiles.theme(named: theme) } catch let error as ConfigError { throw fail(error.message) }
    }
}
