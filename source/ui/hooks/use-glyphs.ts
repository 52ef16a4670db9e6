// Glyphs are chosen once per terminal; components read them from context, never from env.
import {createContext, useContext} from 'react';
import {unicodeGlyphs, type Glyphs} from '../glyphs.js';

export const GlyphsContext = createContext<Glyphs>(unicodeGlyphs);

export function useGlyphs(): Glyphs {
	return useContext(GlyphsContext);
}
