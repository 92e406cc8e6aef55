#!/usr/bin/env python3
"""Scale consistency of songs whose pitch classes are uniformly random: the floor a G with no sense of key sits at.

Same definition as crnngan's (src/CrnnGan/Evaluation/Scale.cs): the largest share of a song's notes in one of
12 roots x {major, natural minor, harmonic minor}. Usage: python3 docs/results/random-pitch-classes.py [NOTES] [SONGS]
"""
import random
import sys

SCALES = ([0, 2, 4, 5, 7, 9, 11], [0, 2, 3, 5, 7, 8, 10], [0, 2, 3, 5, 7, 8, 11])
notes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
songs = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
random.seed(0)
total = 0.0
for _ in range(songs):
    counts = [0] * 12
    for _ in range(notes):
        counts[random.randrange(12)] += 1
    total += max(sum(counts[(root + i) % 12] for i in scale) for root in range(12) for scale in SCALES) / notes
print(f"mean scale consistency of {songs} songs of {notes} notes with random pitch classes: {total / songs:.3f}")
