namespace MnistMl.Tests.Data;

/// <summary>One file a <see cref="LoopbackMirror"/> serves, and how.</summary>
internal sealed record MirrorFile(byte[] Body, MirrorBehaviour Behaviour = MirrorBehaviour.Complete);

/// <summary>What a <see cref="LoopbackMirror"/> does with a request for a file it has.</summary>
internal enum MirrorBehaviour
{
    /// <summary>Sends the whole file.</summary>
    Complete,

    /// <summary>Announces the whole length, sends half the body, then closes the connection.</summary>
    DropMidBody,

    /// <summary>Announces the whole length, then sends nothing until the mirror stops.</summary>
    StallAfterHeaders,
}
