#!/usr/bin/python3
"""Corpus ingest with mido, single-process: the peer of `CrnnGan.Bench ingest FOLDER`.

Reads every MIDI file (.mid .midi .kar .rmi) below a folder, pairs note-on/off per track, channel and pitch
first-in first-out (a note-on of velocity 0 is an off; a note left open gets one quarter), and encodes the
paper's events: tone length, frequency, intensity and time since the previous onset, at 384 ticks per quarter.
Unreadable files are skipped.
"""
import argparse
import collections
import json
import os
import time

import mido

EXTENSIONS = (".mid", ".midi", ".kar", ".rmi")
TICKS_PER_QUARTER = 384


def read_notes(path):
    """(start tick, length, pitch, velocity) of every note, and the file's ticks per quarter."""
    midi = mido.MidiFile(path)
    notes, offset = [], 0
    for track in midi.tracks:
        tick, open_notes = 0, collections.defaultdict(collections.deque)
        for message in track:
            tick += message.time
            if message.type == "note_on" and message.velocity > 0:
                open_notes[message.channel, message.note].append((tick, message.velocity))
            elif message.type in ("note_on", "note_off") and open_notes[message.channel, message.note]:
                start, velocity = open_notes[message.channel, message.note].popleft()
                notes.append((start + offset, tick - start, message.note, velocity))
        for (_, pitch), queue in open_notes.items():
            notes.extend((start + offset, midi.ticks_per_beat, pitch, velocity) for start, velocity in queue)
        if midi.type == 2:  # independent sequences, one after another
            offset += tick
    return notes, midi.ticks_per_beat


def encode(notes, ticks_per_quarter):
    """One event per note, ordered by onset then pitch: [length, frequency Hz, intensity, time since previous onset]."""
    scale = TICKS_PER_QUARTER / ticks_per_quarter
    events, previous = [], 0
    for start, length, pitch, velocity in sorted(notes, key=lambda n: (n[0], n[2], n[1], n[3])):
        events.append([length * scale, 440.0 * 2 ** ((pitch - 69) / 12), velocity, (start - previous) * scale])
        previous = start
    return events


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    start, cpu_start = time.perf_counter(), time.process_time()
    files = sorted(os.path.join(folder, name) for folder, _, names in os.walk(args.folder)
                   for name in names if name.lower().endswith(EXTENSIONS))
    songs = []
    for path in files:
        try:
            notes, ticks_per_quarter = read_notes(path)
            songs.append((notes, encode(notes, ticks_per_quarter)))
        except Exception:  # mido raises OSError, EOFError, ValueError, KeyError, ... on bad files
            continue
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    result = {"files": len(files), "read": len(songs), "notes": sum(len(n) for n, _ in songs),
              "events": sum(len(e) for _, e in songs), "seconds": round(seconds, 3),
              "cpu_seconds": round(cpu_seconds, 3), "processes": 1,
              "mido": mido.__version__}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"mido {result['mido']}, single process: {result['files']} files, {result['read']} read "
              f"({result['files'] - result['read']} unreadable), {result['notes']} notes, {result['events']} events, "
              f"{seconds:.2f} s ({result['read'] / seconds:.0f} files/s), {cpu_seconds:.2f} CPU s")


if __name__ == "__main__":
    main()
