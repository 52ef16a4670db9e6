// Colour and glyphs are decided once per terminal (NO_COLOR, FORCE_COLOR, TERM, LANG) and handed
// down; components never read the environment themselves.
import {createContext, useContext} from 'react';
import {unicodeGlyphs, type Glyphs} from '../glyphs.js';

/** `ascii`: the terminal cannot draw Unicode; every row is reduced to ASCII. */
export type Theme = {glyphs: Glyphs; color: boolean; ascii?: boolean};

export const ThemeContext = createContext<Theme>({glyphs: unicodeGlyphs, color: true, ascii: false});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
