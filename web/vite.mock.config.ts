// Development only (`npm run dev:mock`): the UI against an in-memory mock of the /api/v1
// contract, for working on screens before or without the C++ server. Never part of `dist`.
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config';
import { mockApi } from './mock/api';

export default mergeConfig(base, defineConfig({ plugins: [mockApi()] }));
