using System.Text.Json.Serialization;
using CrnnGan.Model;
using static CrnnGan.Training.SettingRules;

namespace CrnnGan.Training;

/// <summary>The <c>model</c> group: the sizes of G and D and what each of them reads and writes.</summary>
public sealed record ModelSettings
{
    [JsonPropertyName("tones_per_cell")] public int TonesPerCell { get; init; } = 1;
    [JsonPropertyName("hidden")] public int Hidden { get; init; } = 350;
    [JsonPropertyName("layers")] public int Layers { get; init; } = 2;
    [JsonPropertyName("dropout")] public double Dropout { get; init; } = 0.5;
    [JsonPropertyName("d_input_dropout")] public double DiscriminatorInputDropout { get; init; } = 0.5;
    /// <summary>D reads songs forwards only (the paper's code: <c>--unidirectional_d</c>).</summary>
    [JsonPropertyName("unidirectional_d")] public bool UnidirectionalDiscriminator { get; init; }
    /// <summary>Values of G's noise drawn once per song and repeated at every step (see <see cref="ModelConfig.SongNoiseSize"/>); 0 = the paper's per-step noise alone.</summary>
    [JsonPropertyName("song_noise")] public int SongNoise { get; init; }
    /// <summary>G writes each song's velocities around a level and spread of its own (see <see cref="ModelConfig.SongVelocity"/>).</summary>
    [JsonPropertyName("song_velocity")] public bool SongVelocity { get; init; }
    /// <summary>With <see cref="SongVelocity"/>, the spread keeps its start (see <see cref="ModelConfig.FixedVelocitySpread"/>).</summary>
    [JsonPropertyName("fixed_velocity_spread")] public bool FixedVelocitySpread { get; init; }
    /// <summary>G emits each tone's pitch class as a point on the circle of fifths beside its frequency, which then
    /// only says the register (see <see cref="Model.PitchClassHead"/>); D reads the same points of real tones.</summary>
    [JsonPropertyName("pitch_class_head")] public bool PitchClassHead { get; init; }
    /// <summary>Scale of the song moments D adds to its last layer's features (see <see cref="ModelConfig.DiscriminatorSongMoments"/>); 0 = off, as in the paper.</summary>
    [JsonPropertyName("d_song_moments")] public double DiscriminatorSongMoments { get; init; }
    /// <summary>Scale of the song lags D adds to its last layer's features (see <see cref="ModelConfig.DiscriminatorSongLags"/>); 0 = off, as in the paper.</summary>
    [JsonPropertyName("d_song_lags")] public double DiscriminatorSongLags { get; init; }
    /// <summary>D sees G's time since the previous event clamped at zero, as the MIDI writer reads it, so G's chords
    /// (any time at or below zero) look to D like real chords (exactly zero) instead of like nothing real.</summary>
    [JsonPropertyName("d_clamp_time")] public bool ClampGeneratedTime { get; init; }
    /// <summary>Scale of the rhythm D reads beside each event (see <see cref="MusicalInputs"/>); 0 = off, as in the paper.</summary>
    [JsonPropertyName("d_rhythm")] public double DiscriminatorRhythm { get; init; }
    /// <summary>Scale of the interval indicators D reads beside each event (see <see cref="MusicalInputs"/>); 0 = off, as in the paper.</summary>
    [JsonPropertyName("d_intervals")] public double DiscriminatorIntervals { get; init; }
    /// <summary>The step in ticks (384 per quarter note) of the staircase G's written times pass (see <see cref="Model.TimeStaircase"/>); 0 = none, as in the paper.</summary>
    [JsonPropertyName("time_grid")] public int TimeGrid { get; init; }
    /// <summary>G chooses each event's pitch among the 128 MIDI pitches by a draw from its scores (see <see cref="Model.ChoiceHead"/>); off, as in the paper.</summary>
    [JsonPropertyName("pitch_choice")] public bool PitchChoice { get; init; }
    /// <summary>The grid in ticks (384 per quarter note) of the times since the previous onset G chooses among (see <see cref="Model.ChoiceHead"/>); 0 = G says the time as a number, as in the paper.</summary>
    [JsonPropertyName("time_choice")] public int TimeChoice { get; init; }
    /// <summary>The grid in ticks of the tone lengths G chooses among (see <see cref="Model.ChoiceHead"/>); 0 = G says the length as a number, as in the paper.</summary>
    [JsonPropertyName("length_choice")] public int LengthChoice { get; init; }
    /// <summary>How many pitches before the previous event's G reads back at each step, as one-hots (see
    /// <see cref="ModelConfig.PitchLookback"/>); 0 = only the previous event, as in the paper.</summary>
    [JsonPropertyName("pitch_lookback")] public int PitchLookback { get; init; }
    /// <summary>The widest interval in semitones G scores as a step from the previous pitch (see
    /// <see cref="ModelConfig.PitchIntervals"/>); 0 = pitches scored on their own.</summary>
    [JsonPropertyName("pitch_intervals")] public int PitchIntervals { get; init; }
    /// <summary>With <see cref="PitchIntervals"/>, from how many earlier pitches G scores intervals (see <see cref="ModelConfig.PitchIntervalLags"/>).</summary>
    [JsonPropertyName("pitch_interval_lags")] public int PitchIntervalLags { get; init; } = 1;
    /// <summary>G draws the time first and scores the pitch of a chord's next tone with intervals of their own (see <see cref="ModelConfig.ChordIntervals"/>).</summary>
    [JsonPropertyName("chord_intervals")] public bool ChordIntervals { get; init; }
    /// <summary>G reads where in the bar its previous onset fell and scores where each time puts the next (see <see cref="ModelConfig.BarPositions"/>).</summary>
    [JsonPropertyName("bar_positions")] public bool BarPositions { get; init; }
    /// <summary>G scores each pitch also by how much its class has sounded so far in the song (see <see cref="ModelConfig.PitchClassMemory"/>).</summary>
    [JsonPropertyName("pitch_class_memory")] public bool PitchClassMemory { get; init; }
    /// <summary>G scores each pitch also by how often it came after the song's last one and two pitches before (see <see cref="ModelConfig.FigureMemory"/>).</summary>
    [JsonPropertyName("figure_memory")] public bool FigureMemory { get; init; }
    /// <summary>The weight of the song's key (its pitch-class shares) as a prior on G's pitch scores (see <see cref="Model.KeyPrior"/>); 0: none.</summary>
    [JsonPropertyName("key_prior")] public double KeyPrior { get; init; }
    /// <summary>G chooses each event's velocity among 1 to 127 by a draw from its scores (see <see cref="Model.ChoiceHead"/>); off: G says it as a number, as in the paper.</summary>
    [JsonPropertyName("velocity_choice")] public bool VelocityChoice { get; init; }
    /// <summary>G reads each song's traits (how fast, how detached, how wide, how loud; see <see cref="Model.SongTraits"/>) beside its noise: those of the real window teacher forced, those of a training window drawn from its table free running.</summary>
    [JsonPropertyName("song_traits")] public bool SongTraits { get; init; }
    /// <summary>With <see cref="SongTraits"/>, the traits include the share of each of the 12 pitch classes: the song's key.</summary>
    [JsonPropertyName("song_key_traits")] public bool SongKeyTraits { get; init; }
    /// <summary>With <see cref="SongTraits"/>, the traits include how the song's top line moves: its shares of repeated pitches, steps and leaps.</summary>
    [JsonPropertyName("song_line_traits")] public bool SongLineTraits { get; init; }

    /// <summary>Largest <see cref="Hidden"/>: far beyond the paper's 350, small enough that G and D fit in memory.</summary>
    public const int MaxHidden = 8192;
    public const int MaxLayers = 64;

    [JsonIgnore]
    public int FeatureCount => 3 * TonesPerCell + 1;

    /// <summary>The shapes of G and D these settings build.</summary>
    [JsonIgnore]
    public ModelConfig Networks => new(FeatureCount, Hidden, Layers, Dropout, DiscriminatorInputDropout, !UnidirectionalDiscriminator, SongNoise,
        PitchClassHead ? Model.PitchClassHead.OutputsFor(TonesPerCell) : 0, DiscriminatorSongMoments, DiscriminatorSongLags, SongVelocity,
        FixedVelocitySpread, DiscriminatorRhythm, DiscriminatorIntervals, TimeGrid, PitchChoice: PitchChoice, TimeChoiceGrid: TimeChoice, LengthChoiceGrid: LengthChoice,
        PitchLookback: PitchLookback, PitchIntervals: PitchIntervals, PitchIntervalLags: PitchIntervalLags, ChordIntervals: ChordIntervals, BarPositions: BarPositions, PitchClassMemory: PitchClassMemory,
        VelocityChoice: VelocityChoice, SongTraits: SongTraits, SongKeyTraits: SongKeyTraits, FigureMemory: FigureMemory, KeyPrior: KeyPrior,
        SongLineTraits: SongLineTraits);

    internal void Validate()
    {
        Require(TonesPerCell is 1 or 3, "model.tones_per_cell", $"must be 1 or 3, got {TonesPerCell}");
        InRange(Hidden, 1, MaxHidden, "model.hidden");
        InRange(Layers, 1, MaxLayers, "model.layers");
        Require(Dropout is >= 0 and < 1, "model.dropout", $"must be at least 0 and below 1, got {Show(Dropout)}");
        Require(DiscriminatorInputDropout is >= 0 and < 1, "model.d_input_dropout", $"must be at least 0 and below 1, got {Show(DiscriminatorInputDropout)}");
        Require(SongNoise is >= 0 and <= ModelConfig.MaxSongNoiseSize, "model.song_noise", $"must be 0 to {ModelConfig.MaxSongNoiseSize}, got {SongNoise}");
        Require(!SongVelocity || SongNoise > 0, "model.song_velocity",
            "reads each song's level and spread of velocity from its noise: it needs model.song_noise 1 or more");
        Require(!SongVelocity || TonesPerCell == 1, "model.song_velocity",
            "needs one tone per cell: a multi-tone cell says a tone is absent by its velocity");
        Require(!FixedVelocitySpread || SongVelocity, "model.fixed_velocity_spread", "fixes the spread of model.song_velocity: turn both on");
        AtLeastZero(DiscriminatorSongMoments, "model.d_song_moments");
        AtLeastZero(DiscriminatorSongLags, "model.d_song_lags");
        AtLeastZero(DiscriminatorRhythm, "model.d_rhythm");
        AtLeastZero(DiscriminatorIntervals, "model.d_intervals");
        InRange(TimeGrid, 0, Data.EventLayout.NormalizedTicksPerQuarter, "model.time_grid");
        InRange(TimeChoice, 0, Data.EventLayout.NormalizedTicksPerQuarter, "model.time_choice");
        InRange(LengthChoice, 0, Data.EventLayout.NormalizedTicksPerQuarter, "model.length_choice");
        Require(!(PitchChoice || TimeChoice > 0 || LengthChoice > 0 || VelocityChoice) || TonesPerCell == 1,
            PitchChoice ? "model.pitch_choice" : TimeChoice > 0 ? "model.time_choice" : LengthChoice > 0 ? "model.length_choice" : "model.velocity_choice",
            "needs one tone per cell (model.tones_per_cell=1)");
        Require(!VelocityChoice || !SongVelocity, "model.velocity_choice", "draws each velocity itself: turn model.song_velocity off");
        Require(!PitchChoice || !PitchClassHead, "model.pitch_choice", "chooses the pitch itself: turn model.pitch_class_head off");
        InRange(PitchLookback, 0, ModelConfig.MaxPitchLookback, "model.pitch_lookback");
        Require(PitchLookback == 0 || PitchChoice, "model.pitch_lookback", "reads back the pitches G chose: turn model.pitch_choice on");
        InRange(PitchIntervals, 0, ModelConfig.MaxPitchIntervals, "model.pitch_intervals");
        InRange(PitchIntervalLags, 1, ModelConfig.MaxPitchIntervalLags, "model.pitch_interval_lags");
        Require(!ChordIntervals || (PitchIntervals > 0 && TimeChoice > 0), "model.chord_intervals", "needs model.pitch_intervals and model.time_choice");
        Require(PitchIntervals == 0 || PitchChoice, "model.pitch_intervals", "scores the pitches G chooses: turn model.pitch_choice on");
        Require(!BarPositions || (TimeChoice > 0 && Model.BarPositions.BarTicks % TimeChoice == 0), "model.bar_positions",
            $"needs model.time_choice on a grid that divides a bar of {Model.BarPositions.BarTicks} ticks");
        Require(!SongTraits || TonesPerCell == 1, "model.song_traits", "needs one tone per cell (model.tones_per_cell=1)");
        Require(!SongKeyTraits || SongTraits, "model.song_key_traits", "adds to model.song_traits: turn both on");
        Require(!SongLineTraits || SongTraits, "model.song_line_traits", "adds to model.song_traits: turn both on");
        Require(KeyPrior is >= 0 and <= 10, "model.key_prior", $"must be 0 to 10, got {Show(KeyPrior)}");
        Require(KeyPrior == 0 || (PitchChoice && SongKeyTraits), "model.key_prior", "weighs the pitches G chooses by the song's key: turn model.pitch_choice and model.song_key_traits on");
        Require(!FigureMemory || PitchChoice, "model.figure_memory", "scores the pitches G chooses: turn model.pitch_choice on");
        Require(!PitchClassMemory || PitchChoice, "model.pitch_class_memory", "scores the pitches G chooses: turn model.pitch_choice on");
        Require(TimeChoice == 0 || TimeGrid == 0, "model.time_choice", "chooses the time on its own grid: turn model.time_grid off");
    }
}
