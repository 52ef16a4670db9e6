// Colour and glyphs are decided once per terminal (NO_COLOR, FORCE_COLOR, TERM, LANG) and handed
// down; components never read the environment themselves.
import {createContext, useContext} from 'react';
import {unicodeGlyphs, type Glyphs} from '../glyphs.js';

export type Theme = {glyphs: Glyphs; color: boolean};

export const ThemeContext = createContext<Theme>({glyphs: unicodeGlyphs, color: true});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
