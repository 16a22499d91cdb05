namespace RulesApi.Dns.Records;

/// <summary>
/// The RDATA of a record. Each subtype renders its canonical presentation form from
/// <see cref="object.ToString"/>, the form a person pastes into a provider's form.
/// </summary>
public abstract record RecordData
{
    public abstract override string ToString();
}
