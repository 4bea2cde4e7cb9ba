#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here, before the
   include; without it ncurses has no cchar_t and a different WINDOW layout. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Function-like macros and attribute constants do not import into Swift: wrap them. */
static inline int     nc_color_pair(int n)      { return (int)COLOR_PAIR(n); }
static inline int     nc_key_f(int n)           { return KEY_F(n); }
static inline attr_t  nc_a_normal(void)         { return A_NORMAL; }
static inline attr_t  nc_a_bold(void)           { return A_BOLD; }
static inline attr_t  nc_a_dim(void)            { return A_DIM; }
static inline attr_t  nc_a_reverse(void)        { return A_REVERSE; }
static inline attr_t  nc_a_underline(void)      { return A_UNDERLINE; }
static inline attr_t  nc_a_italic(void)         { return A_ITALIC; }
/* C globals: Swift 6 rejects reads of imported mutable globals. */
static inline WINDOW *nc_stdscr(void)           { return stdscr; }
static inline int     nc_lines(void)            { return LINES; }
static inline int     nc_cols(void)             { return COLS; }
static inline int     nc_colors(void)           { return COLORS; }
static inline int     nc_color_pairs(void)      { return COLOR_PAIRS; }
static inline mmask_t nc_button4_pressed(void)  { return BUTTON4_PRESSED; }  /* wheel up */
static inline mmask_t nc_button5_pressed(void)  { return BUTTON5_PRESSED; }  /* wheel down */
static inline mmask_t nc_button1_pressed(void)  { return BUTTON1_PRESSED; }
static inline mmask_t nc_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
#endif
