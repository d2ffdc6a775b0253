namespace MnistMl.Cli;

/// <summary>The process exit codes of <c>mnistml</c>; scripts rely on them, so they never change.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int UnexpectedFailure = 1;
    public const int UsageError = 2;
    public const int DataError = 3;
    public const int ModelFileError = 4;
    public const int OutputError = 5;
    public const int InputError = 6;
    public const int TrainingDiverged = 7;
    public const int Cancelled = 130;
}
