/// The compiled-in theme used when no theme file is found or it fails to parse.
extension Theme {
    /// A copy of themes/dark.toml (a test checks the two agree).
    public static let builtInSource = """
# XComposer's default theme: light grey text on a near-black background.
# Colours are "#rrggbb", a palette index ("color67"), an ANSI name ("bright-cyan") or "default";
# terminals with fewer colours get the nearest they can show.
name = "dark"

[colors]
text = { fg = "#d0d0d0", bg = "#1c1c1c" }
dim = "#8a8a8a"
border = "#585858"
accent = { fg = "#5fafff", bold = true }
user = { fg = "#87d7ff", bold = true }
assistant = "#d0d0d0"
heading = { fg = "#ffaf5f", bold = true }
code = { fg = "#afd787", bg = "#262626" }
emphasis = { fg = "#d7afff", italic = true }
status = { fg = "#d0d0d0", bg = "#303030" }
chip = { fg = "#1c1c1c", bg = "#5f87af" }
selection = { fg = "#ffffff", bg = "#005f87" }
error = { fg = "#ff5f5f", bold = true }
warning = { fg = "#ffd75f", bold = true }
progress = "#5fd787"
"""

    /// The dark theme, compiled in.
    public static let builtIn: Theme = (try? ThemeParser.parse(builtInSource, fileName: "dark.toml"))
        ?? Theme(name: "dark", styles: [:])
}
