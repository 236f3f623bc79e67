import '@testing-library/jest-dom';
// third-party deprecation warnings only; see the file's header
import '../../../scripts/jest/quietLibraryWarnings';
