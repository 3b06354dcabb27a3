import type { Linter } from 'eslint';
export declare const ioLibraries: string[];
export declare const adapterPackages: string[];
export declare const layerBoundaryConfigs: Linter.Config[];
