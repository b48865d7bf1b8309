// The seed of the fund's regional branches: the data lives with the routing rule in app/organizations/branches.ts.
export {
  REGIONAL_BRANCHES as TERRITORIAL_BODIES,
  officeEmail,
  officeName,
  type RegionalBranch as TerritorialBodySeed,
} from "../../app/organizations/branches";
