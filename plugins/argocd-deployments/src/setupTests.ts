import '@testing-library/jest-dom';
// drops third-party deprecation warnings only (see its header); a test setup file, not a package
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import '../../../scripts/jest/quietLibraryWarnings';
