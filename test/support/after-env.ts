// jest setupFilesAfterEnv: what every test file releases when it ends.
import { closeTestCodec } from './codec';

afterAll(() => closeTestCodec());
