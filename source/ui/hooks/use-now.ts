// A clock that ticks while a screen needs it (elapsed time), and not otherwise.
import {useEffect, useState} from 'react';

export function useNow(intervalMs: number, isActive = true): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (!isActive) {
			return;
		}

		setNow(Date.now());
		const timer = setInterval(() => {
			setNow(Date.now());
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs, isActive]);
	return now;
}
