// The ФНС register of МЧД as a pluggable call. Here the portal cannot reach the register, so the default answers
// «unavailable» and the operator checks by hand («Проверена в реестре ФНС»); a deployment with network access
// supplies a checker (createApp({ mchdRegistry })) and a valid МЧД is marked checked when it is uploaded, a
// revoked or unknown one is refused. Tests use a double.
export type RegistryStatus = "valid" | "revoked" | "not-found" | "unavailable";

export interface RegistryAnswer {
  status: RegistryStatus;
  /** What the register said, for the card («отменена 12.11.2026»). */
  detail?: string;
}

export interface MchdRegistry {
  check(query: { number: string; principalInn: string; representativeInn: string | null }): Promise<RegistryAnswer>;
}

export const offlineRegistry: MchdRegistry = {
  check: async () => ({ status: "unavailable" }),
};
